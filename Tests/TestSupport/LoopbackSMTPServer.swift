import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An SMTP server on 127.0.0.1 that plays the mail servers a mailbox probe meets, chosen by the RCPT domain:
/// one that knows its mailboxes (250, else 550 5.1.1), a catch-all (250 to anything), a greylisting one (451)
/// and a slow one (answers RCPT only after `delay`). It records every command and how many connections were
/// open at once, so tests can check that DATA never comes and per-host limits hold.
public final class LoopbackSMTPServer: Sendable {
    public enum Behaviour: Sendable {
        /// 250 for the listed mailboxes, 550 5.1.1 for any other.
        case knows(Set<String>)
        case catchAll
        case greylisting
        /// Waits `seconds` before answering RCPT.
        case slow(seconds: Double)
    }

    public let port: Int
    private let listener: Int32
    private let domains: [String: Behaviour]
    private let state = Mutex<(commands: [String], open: Int, mostOpen: Int, connections: Int)>(([], 0, 0, 0))

    /// Starts listening; `domains` maps an RCPT domain to its behaviour (unlisted domains: 550 for everything).
    public init(domains: [String: Behaviour]) throws {
        self.domains = domains
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw LocalServerError.notReady("smtp listener", 0) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "test.smtp.accept"
        thread.start()
    }

    /// Every command received, in order, across connections.
    public var commands: [String] { state.withLock { $0.commands } }
    /// The most connections that were open at the same time.
    public var mostConnectionsAtOnce: Int { state.withLock { $0.mostOpen } }
    /// Connections accepted.
    public var connections: Int { state.withLock { $0.connections } }

    /// Stops accepting; connections in progress finish on their own.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            state.withLock { $0.open += 1; $0.connections += 1; $0.mostOpen = max($0.mostOpen, $0.open) }
            let thread = Thread { [self] in
                // A connection stops counting as open when QUIT arrives, before the reply the client waits
                // for, so a client that opens the next connection after QUIT's reply is never counted twice.
                if !serve(client) { state.withLock { $0.open -= 1 } }
                close(client)
            }
            thread.start()
        }
    }

    /// Plays one conversation; whether it ended with QUIT (and was already counted as closed).
    private func serve(_ client: Int32) -> Bool {
        func reply(_ line: String) { _ = Array((line + "\r\n").utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        reply("220 test.smtp ESMTP ready")
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else {
                let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return false }
                buffer += chunk[..<count]
                continue
            }
            let line = String(decoding: buffer[..<newline], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            buffer.removeFirst(newline + 1)
            state.withLock { $0.commands.append(line) }
            let verb = line.prefix(4).uppercased()
            switch verb {
            case "EHLO": reply("250-test.smtp greets you"); reply("250 8BITMIME")
            case "HELO", "MAIL", "RSET", "NOOP": reply("250 2.0.0 OK")
            case "QUIT":
                state.withLock { $0.open -= 1 }
                reply("221 2.0.0 bye")
                return true
            case "DATA": reply("554 5.5.1 this test server takes no mail")
            case "RCPT":
                let address = line.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" }.lowercased()
                let domain = String(address.split(separator: "@").last ?? "")
                switch domains[domain] {
                case .knows(let mailboxes)?:
                    reply(mailboxes.contains(address) ? "250 2.1.5 OK" : "550 5.1.1 <\(address)>: user unknown")
                case .catchAll?: reply("250 2.1.5 OK")
                case .greylisting?: reply("451 4.7.1 greylisted, try again later")
                case .slow(let seconds)?:
                    usleep(useconds_t(seconds * 1_000_000))
                    reply("250 2.1.5 OK")
                case nil: reply("550 5.1.1 no such domain here")
                }
            default: reply("502 5.5.2 command not recognized")
            }
        }
    }
}
