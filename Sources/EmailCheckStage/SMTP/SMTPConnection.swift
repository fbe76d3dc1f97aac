import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One SMTP client connection over TCP, every connect, read and write bounded by a timeout.
///
/// With ResolverSession, the only file of the stage that touches sockets: the socket is non-blocking
/// and `poll` waits, so a server that stops answering costs `timeout` and no more.
final class SMTPConnection {
    /// A server reply: its three-digit code and its text (multi-line replies joined by spaces).
    struct Reply: Equatable {
        var code: Int
        var text: String
        /// `550 5.1.1 no such user` as it goes to a row's detail.
        var summary: String { text.isEmpty ? "\(code)" : "\(code) \(text)" }
    }

    /// Why a conversation ended without a reply.
    enum Failure: Error, Equatable {
        case refused
        case timeout
        case closed
        case unreachable(String)

        /// The word for a row's detail.
        var detail: String {
            switch self {
            case .refused: "connection_refused"
            case .timeout: "timeout"
            case .closed: "connection_closed"
            case .unreachable(let why): "unreachable: \(why)"
            }
        }
    }

    private let socket: Int32
    private let timeoutMilliseconds: Int32
    private var pending: [UInt8] = []

    /// Connects to a numeric IPv4 or IPv6 address.
    init(address: String, port: Int, timeout: Double) throws {
        timeoutMilliseconds = Int32(max(1, timeout * 1000))
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address, String(port), &hints, &found) == 0, let info = found else {
            throw Failure.unreachable("not an IP address: \(address)")
        }
        defer { freeaddrinfo(found) }
        socket = Glibc.socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard socket >= 0 else { throw Failure.unreachable(String(cString: strerror(errno))) }
        // Every property is set by now, so a throw below still runs deinit, which closes the socket. Closing it
        // here as well closed it twice: the second close hit whatever descriptor another thread had just been
        // given that number, and a concurrent probe saw its connection closed under it.
        if connect(socket, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw Self.failure(errno) }
            guard wait(for: Int16(POLLOUT)) else { throw Failure.timeout }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 { throw Self.failure(error) }
        }
    }

    deinit { if socket >= 0 { close(socket) } }

    private static func failure(_ code: Int32) -> Failure {
        switch code {
        case ECONNREFUSED: .refused
        case ETIMEDOUT: .timeout
        default: .unreachable(String(cString: strerror(code)))
        }
    }

    private func wait(for events: Int16) -> Bool {
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        while true {
            let ready = poll(&descriptor, 1, timeoutMilliseconds)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    /// Sends one command line (CRLF added).
    func send(_ command: String) throws {
        let bytes = Array((command + "\r\n").utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 { sent += written; continue }
            if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard wait(for: Int16(POLLOUT)) else { throw Failure.timeout }
                continue
            }
            throw Failure.closed
        }
    }

    /// Reads one reply; RFC 5321 §4.2.1: lines `250-…` continue, `250 …` ends it.
    func readReply() throws -> Reply {
        var text: [String] = []
        while true {
            let line = try readLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                throw Failure.unreachable("not an SMTP reply: \(line.prefix(40))")
            }
            text.append(String(decoding: bytes.dropFirst(4), as: UTF8.self))
            if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") {
                return Reply(code: code, text: text.joined(separator: " ").trimmingCharacters(in: .whitespaces))
            }
        }
    }

    /// Sends a command and reads its reply.
    func command(_ line: String) throws -> Reply {
        try send(line)
        return try readReply()
    }

    private func readLine() throws -> String {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard pending.count < 65_536 else { throw Failure.unreachable("reply line too long") }
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                pending += chunk[..<count]
            } else if count == 0 {
                throw Failure.closed
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard wait(for: Int16(POLLIN)) else { throw Failure.timeout }
            } else {
                throw Failure.closed
            }
        }
    }
}
