import Foundation

/// A server process a test starts on 127.0.0.1 (dnsmasq, a Python HTTP server) and always stops.
public final class LocalServer: @unchecked Sendable {
    public let process: Process
    public let port: Int

    /// Starts `executable` and waits until something accepts connections (TCP) on `port`, or `readyCheck` passes.
    public init(executable: String, arguments: [String], port: Int, waitForTCP: Bool = true,
                readyCheck: (() -> Bool)? = nil, timeout: TimeInterval = 10) throws {
        self.port = port
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let readyCheck, readyCheck() { return }
            if readyCheck == nil, !waitForTCP { return }
            if readyCheck == nil, waitForTCP, Self.canConnect(port: port) { return }
            guard process.isRunning else { throw LocalServerError.exited(executable, process.terminationStatus) }
            usleep(20_000)
        }
        stop()
        throw LocalServerError.notReady(executable, port)
    }

    /// Asks the server to stop (SIGTERM) and kills it (SIGKILL) if it has not gone within two seconds:
    /// a child can inherit a blocked SIGTERM from the thread that started it, and a hung stop would hang the test run.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// A port that was free a moment ago, picked by the kernel.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port)).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

public enum LocalServerError: Error, CustomStringConvertible {
    case exited(String, Int32)
    case notReady(String, Int)

    public var description: String {
        switch self {
        case .exited(let exe, let status): "\(exe) exited with status \(status) before it was ready"
        case .notReady(let exe, let port): "\(exe) did not become ready on 127.0.0.1:\(port)"
        }
    }
}

/// Starts a server, runs `body`, and stops the server even when `body` throws.
public func withLocalServer<T>(_ server: () throws -> LocalServer, _ body: (LocalServer) throws -> T) throws -> T {
    let s = try server()
    defer { s.stop() }
    return try body(s)
}
