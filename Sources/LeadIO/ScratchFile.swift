import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A temporary file for bytes a run sets aside and reads back, unlinked as soon as it is made: a process that
/// dies leaves nothing behind, and the file's pages sit in the page cache, not in the process's memory.
///
/// Appends come from one thread at a time; reads (`pread`) may come from any thread, for ranges already appended.
public final class ScratchFile: @unchecked Sendable {
    private let descriptor: Int32
    /// Bytes appended so far: where the next append starts.
    public private(set) var size = 0

    /// Makes the file in `directory` (the system's temporary directory, `TMPDIR`, by default).
    public init(directory: String = FileManager.default.temporaryDirectory.path, purpose: String) throws {
        var template = Array((directory + "/leadhygiene-\(purpose)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else { throw ScratchFileError(operation: "create a temporary file in \(directory)", errno: errno) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = made
    }

    deinit { close(descriptor) }

    /// Appends `bytes`; returns where they lie in the file. On failure the file's size is unchanged.
    public func append(_ bytes: UnsafeRawBufferPointer) throws -> Range<Int> {
        var done = 0
        while done < bytes.count {
            let wrote = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(size + done))
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { throw ScratchFileError(operation: "write a temporary file", errno: wrote < 0 ? errno : ENOSPC) }
            done += wrote
        }
        defer { size += bytes.count }
        return size..<(size + bytes.count)
    }

    /// The bytes appended at `range`.
    public func read(_ range: Range<Int>) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            var done = 0
            while done < range.count {
                let got = pread(descriptor, buffer.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { throw ScratchFileError(operation: "read back a temporary file", errno: got < 0 ? errno : EIO) }
                done += got
            }
            initialized = range.count
        }
    }
}

/// A temporary file could not be made, written or read.
public struct ScratchFileError: Error, CustomStringConvertible {
    public let operation: String
    public let errno: Int32

    public var description: String { "cannot \(operation): \(String(cString: strerror(errno)))" }
}
