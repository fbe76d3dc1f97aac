#if canImport(Glibc)
import Glibc
#endif

/// Which name server the stage asks, and how patiently.
public struct ResolverConfiguration: Sendable, Equatable {
    /// An IPv4 or IPv6 address of the name server (`::1` or `[::1]`); `nil` uses the system's (/etc/resolv.conf).
    public var server: String?
    /// The name server's UDP/TCP port.
    public var port: Int
    /// Seconds to wait for the first try; glibc doubles the wait for each retry.
    public var timeoutSeconds: Int
    /// How many times each query is sent before giving up.
    public var attempts: Int

    /// Defaults: the system's name servers, port 53, 2 s, 2 tries.
    public init(server: String? = nil, port: Int = 53, timeoutSeconds: Int = 2, attempts: Int = 2) {
        self.server = server
        self.port = port
        self.timeoutSeconds = timeoutSeconds
        self.attempts = attempts
    }

    /// A DNS setting that is out of range, named as its `dns.` option (`server`, `port`, `timeout`, `attempts`,
    /// `concurrency`) with what is wrong; `nil` when all are usable. The one definition behind the pipeline's
    /// `dns:` options and `check-email`'s flags.
    public static func problem(server: String?, port: Int, timeout: Int, attempts: Int,
                               concurrency: Int) -> (setting: String, message: String)? {
        if let server, !isAddress(server) {
            return ("server", "must be an IPv4 or IPv6 address such as 127.0.0.1 or ::1, found '\(server)'")
        }
        if !(1...65_535).contains(port) { return ("port", "must be 1–65535, found \(port)") }
        if timeout < 1 { return ("timeout", "must be at least 1, found \(timeout)") }
        if attempts < 1 { return ("attempts", "must be at least 1, found \(attempts)") }
        if !(1...512).contains(concurrency) { return ("concurrency", "must be 1–512, found \(concurrency)") }
        return nil
    }

    /// Whether `text` is an IPv4 address or an IPv6 address, bare or in brackets.
    public static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, unbracketed(text), &v6) == 1
    }

    /// `[::1]` → `::1`; anything else unchanged.
    static func unbracketed(_ text: String) -> String {
        text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
    }
}
