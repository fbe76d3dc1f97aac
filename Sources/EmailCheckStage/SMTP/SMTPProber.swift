import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Asks domains' mail servers whether mailboxes exist: EHLO, MAIL FROM, RCPT TO each address and one random
/// mailbox, QUIT. `DATA` is never sent, so no mail is ever delivered.
///
/// A domain's MX hosts are tried in preference order until one answers. Each address is asked once per run,
/// each domain's accept-all test once per run; connections to one host are limited to `perHost` at a time
/// (most servers count concurrent connections per client and start refusing), and `concurrency` domains are
/// probed at once, each on its own thread, because every step blocks on the network.
///
/// With a persistent ``SMTPVerdictCache`` (the run store), an address answered definitively in an earlier run
/// within `cacheDays` is not asked again, and neither is any address on a domain known to accept every mailbox;
/// a domain known to refuse unknown mailboxes skips its catch-all test.
public final class SMTPProber: Sendable {
    /// One address to ask about, with its domain's MX hosts in preference order.
    public struct Request: Sendable {
        public var address: String
        public var domain: String
        public var hosts: [String]

        public init(address: String, domain: String, hosts: [String]) {
            self.address = address
            self.domain = domain
            self.hosts = hosts
        }
    }

    /// Figures for the run report.
    public struct Counters: Sendable, Equatable {
        /// Addresses asked about (each once per run).
        package var addressesProbed = 0
        /// Connections opened to mail servers.
        public var connections = 0
        /// Domains whose random mailbox was accepted.
        package var acceptAllDomains = 0
        /// Most connections open to one host at once, as observed.
        package var mostConnectionsToOneHost = 0
        /// Addresses answered from the persistent cache (their own verdict, or their domain's accept-all one).
        package var storeCacheHits = 0
    }

    public let settings: SMTPProbeSettings
    private let addresses = CoalescingTable<String, SMTPVerdict>()
    private let acceptAll = Mutex<[String: String]>([:]) // domain → the reply that accepted a random mailbox
    private let hostSlots = Mutex<[String: Int]>([:])
    private let slotFreed = NSCondition()
    private let counters = Mutex(Counters())
    private let persistentCache: (any SMTPVerdictCache)?
    private let now: Date

    /// - Parameters:
    ///   - persistentCache: verdicts kept across runs (the run store), if any; entries live `settings.cacheDays`.
    ///   - now: the run's clock, for expiry.
    public init(settings: SMTPProbeSettings, persistentCache: (any SMTPVerdictCache)? = nil, now: Date = Date()) {
        self.settings = settings
        self.persistentCache = settings.cacheDays > 0 ? persistentCache : nil
        self.now = now
    }

    /// When an entry put now stops being served.
    private var expiry: Date { now.addingTimeInterval(TimeInterval(settings.cacheDays) * 86_400) }

    public var statistics: Counters { counters.withLock { $0 } }

    /// Verdicts for many addresses; domains are probed in parallel, then this returns.
    public func verdicts(for requests: [Request]) -> [String: SMTPVerdict] {
        var results: [String: SMTPVerdict] = [:]
        var waits: [(String, PendingValue<SMTPVerdict>)] = []
        var byDomain: [String: (hosts: [String], work: [(String, PendingValue<SMTPVerdict>)])] = [:]
        let hostsByAddress = Dictionary(requests.map { ($0.address, ($0.domain, $0.hosts)) }, uniquingKeysWith: { first, _ in first })
        for (address, claim) in addresses.claims(hostsByAddress.keys) {
            switch claim {
            case .known(let verdict): results[address] = verdict
            case .wait(let pending): waits.append((address, pending))
            case .workOut(let pending):
                let (domain, hosts) = hostsByAddress[address]!
                if let stored = storedVerdict(address: address, domain: domain) {
                    addresses.finish(address, with: stored, pending)
                    results[address] = stored
                } else {
                    byDomain[domain, default: (hosts, [])].work.append((address, pending))
                }
            }
        }
        let jobs = Array(byDomain)
        let next = Mutex(0)
        let group = DispatchGroup()
        for index in 0..<min(settings.concurrency, jobs.count) {
            group.enter()
            let thread = Thread { [self] in
                while true {
                    let job = next.withLock { i -> Int? in
                        defer { i += 1 }
                        return i < jobs.count ? i : nil
                    }
                    guard let job else { break }
                    let (domain, entry) = jobs[job]
                    let verdicts = probe(domain: domain, hosts: entry.hosts, addresses: entry.work.map(\.0))
                    for (address, pending) in entry.work {
                        let verdict = verdicts[address] ?? .inconclusive("no_reply")
                        if verdict.isDefinitive { persistentCache?.put(verdict, forAddress: address, expiresAt: expiry) }
                        addresses.finish(address, with: verdict, pending)
                    }
                }
                group.leave()
            }
            thread.name = "email_check.smtp.\(index)"
            thread.start()
        }
        group.wait()
        for (_, entry) in jobs { for (address, pending) in entry.work { results[address] = pending.wait() } }
        for (address, pending) in waits { results[address] = pending.wait() }
        return results
    }

    /// What an earlier run learnt about the address, or about its domain accepting every mailbox.
    private func storedVerdict(address: String, domain: String) -> SMTPVerdict? {
        guard let persistentCache else { return nil }
        var found = persistentCache.verdict(forAddress: address, now: now)
        if found == nil, case .acceptsAnyMailbox(let reply)? = persistentCache.verdict(forDomain: domain, now: now) {
            found = .acceptAll(reply)
        }
        if found != nil { counters.withLock { $0.storeCacheHits += 1 } }
        return found
    }

    /// One domain's addresses, asked of its first MX host that answers.
    func probe(domain: String, hosts: [String], addresses: [String]) -> [String: SMTPVerdict] {
        var lastProblem = "no_mx_host"
        for host in hosts {
            guard let (address, port) = target(for: host) else {
                lastProblem = "no_address_for \(host)"
                continue
            }
            let key = "\(address)|\(port)"
            acquireSlot(key)
            defer { releaseSlot(key) }
            do {
                counters.withLock { $0.connections += 1 }
                let connection = try SMTPConnection(address: address, port: port, timeout: settings.timeout)
                return try converse(connection, domain: domain, host: host, addresses: addresses)
            } catch let failure as SMTPConnection.Failure {
                lastProblem = "\(failure.detail) at \(host)"
            } catch let reply as RefusedSession {
                // A 5xx greeting or EHLO: this host will not talk to us; the next one might.
                lastProblem = "\(reply.reply.summary) at \(host)"
            } catch {
                lastProblem = "\(error) at \(host)"
            }
        }
        return Dictionary(uniqueKeysWithValues: addresses.map { ($0, SMTPVerdict.inconclusive(lastProblem)) })
    }

    private struct RefusedSession: Error { var reply: SMTPConnection.Reply }

    private func converse(_ connection: SMTPConnection, domain: String, host: String, addresses: [String]) throws -> [String: SMTPVerdict] {
        defer { _ = try? connection.command("QUIT") }
        let greeting = try connection.readReply()
        guard greeting.code / 100 == 2 else {
            if greeting.code / 100 == 4 { return Dictionary(uniqueKeysWithValues: addresses.map { ($0, .inconclusive(greeting.summary)) }) }
            throw RefusedSession(reply: greeting)
        }
        var hello = try connection.command("EHLO \(settings.helo)")
        if hello.code / 100 != 2 { hello = try connection.command("HELO \(settings.helo)") }
        guard hello.code / 100 == 2 else { throw RefusedSession(reply: hello) }
        let from = try connection.command("MAIL FROM:<\(settings.mailFrom)>")
        guard from.code / 100 == 2 else {
            return Dictionary(uniqueKeysWithValues: addresses.map { ($0, .inconclusive("MAIL FROM: \(from.summary)")) })
        }
        var verdicts: [String: SMTPVerdict] = [:]
        var anyAccepted = false
        for (i, address) in addresses.enumerated() {
            let reply: SMTPConnection.Reply
            do {
                reply = try connection.command("RCPT TO:<\(address)>")
            } catch let failure as SMTPConnection.Failure {
                // The session is in an unknown state: the rest are unknown too.
                for rest in addresses[i...] { verdicts[rest] = .inconclusive("\(failure.detail) after RCPT TO at \(host)") }
                return verdicts
            }
            counters.withLock { $0.addressesProbed += 1 }
            switch reply.code {
            case 250, 251:
                verdicts[address] = .accepted
                anyAccepted = true
            case 550, 551, 553:
                verdicts[address] = .mailboxNotFound(reply.summary)
            default:
                verdicts[address] = .inconclusive(reply.summary)
            }
        }
        guard anyAccepted else { return verdicts }
        if let accepting = try acceptsAnyMailbox(domain, connection) {
            for (address, verdict) in verdicts where verdict == .accepted { verdicts[address] = .acceptAll(accepting) }
        }
        return verdicts
    }

    /// Whether the domain accepts a mailbox nobody has (asked once per run); the reply that accepted it.
    private func acceptsAnyMailbox(_ domain: String, _ connection: SMTPConnection) throws -> String? {
        if let known = acceptAll.withLock({ $0[domain] }) { return known.isEmpty ? nil : known }
        if let stored = persistentCache?.verdict(forDomain: domain, now: now) {
            let accepting: String
            switch stored {
            case .acceptsAnyMailbox(let reply): accepting = reply
            case .refusesUnknownMailboxes: accepting = ""
            }
            acceptAll.withLock { $0[domain] = accepting }
            return accepting.isEmpty ? nil : accepting
        }
        let random = "lh-probe-" + (0..<12).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement()!) }.joined()
        let reply = try connection.command("RCPT TO:<\(random)@\(domain)>")
        let accepting = reply.code == 250 || reply.code == 251 ? "random mailbox accepted: \(reply.summary)" : ""
        acceptAll.withLock { $0[domain] = accepting }
        if !accepting.isEmpty { counters.withLock { $0.acceptAllDomains += 1 } }
        // Only a refusal that names the mailbox (RFC 5321 §4.2.2: 550, 551, 553) proves the domain checks its
        // mailboxes; a 4xx for the random one (greylisting) proves nothing and is asked again next run.
        if !accepting.isEmpty {
            persistentCache?.put(.acceptsAnyMailbox(accepting), forDomain: domain, expiresAt: expiry)
        } else if [550, 551, 553].contains(reply.code) {
            persistentCache?.put(.refusesUnknownMailboxes, forDomain: domain, expiresAt: expiry)
        }
        return accepting.isEmpty ? nil : accepting
    }

    /// Where to connect for an MX host: `host_addresses` when given (and nowhere else), else its first address.
    func target(for host: String) -> (String, Int)? {
        if let overrides = settings.hostAddresses {
            guard let text = overrides[host] else { return nil }
            return Self.split(text, defaultPort: settings.port)
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &found) == 0, let info = found else { return nil }
        defer { freeaddrinfo(found) }
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        return (String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), settings.port)
    }

    /// `127.0.0.1:2525`, `[::1]:2525`, `::1`, `192.0.2.1` → address and port.
    static func split(_ text: String, defaultPort: Int) -> (String, Int)? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let address = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            return (address, rest.isEmpty ? defaultPort : Int(rest.dropFirst()) ?? defaultPort)
        }
        let parts = text.split(separator: ":")
        if parts.count == 2, let port = Int(parts[1]) { return (String(parts[0]), port) }
        return (text, defaultPort)
    }

    private func acquireSlot(_ key: String) {
        slotFreed.lock()
        defer { slotFreed.unlock() }
        while hostSlots.withLock({ $0[key, default: 0] }) >= settings.perHost { slotFreed.wait() }
        let open = hostSlots.withLock { slots -> Int in
            slots[key, default: 0] += 1
            return slots[key]!
        }
        counters.withLock { $0.mostConnectionsToOneHost = max($0.mostConnectionsToOneHost, open) }
    }

    private func releaseSlot(_ key: String) {
        slotFreed.lock()
        hostSlots.withLock { $0[key, default: 1] -= 1 }
        slotFreed.broadcast()
        slotFreed.unlock()
    }
}
