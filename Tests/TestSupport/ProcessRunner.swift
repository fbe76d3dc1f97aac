import Foundation

/// The result of running a child process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs built executables and other programs from tests.
public enum ProcessRunner {
    /// The folder holding the built products (`.build/debug`), found from the running test binary.
    public static var productsDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["LEADHYGIENE_PRODUCTS"] {
            return URL(fileURLWithPath: override)
        }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The test binary lives in `.build/<triple>/debug/<Package>PackageTests.xctest[/…]`.
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("leadhygiene").path) { return url }
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The path of a built executable product such as `leadhygiene`.
    public static func product(_ name: String) -> String { productsDirectory.appendingPathComponent(name).path }

    /// Runs a program to completion, feeding `stdin`, and collects its output.
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                           currentDirectory: URL? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe cannot block the child.
        let errData = Mutexed(Data())
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// Runs the built `leadhygiene` CLI.
    public static func leadhygiene(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil) throws -> ProcessResult {
        try run(product("leadhygiene"), arguments, stdin: stdin, currentDirectory: directory)
    }
}

/// A value shared between threads behind a lock.
public final class Mutexed<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    public init(_ value: Value) { self.value = value }
    public func get() -> Value { lock.withLock { value } }
    public func set(_ newValue: Value) { lock.withLock { value = newValue } }
    public func update<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
