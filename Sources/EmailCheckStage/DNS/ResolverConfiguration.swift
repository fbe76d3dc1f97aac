/// Which name server the stage asks, and how patiently.
public struct ResolverConfiguration: Sendable, Equatable {
    /// An IPv4 address of the name server; `nil` uses the system's (/etc/resolv.conf).
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
}
