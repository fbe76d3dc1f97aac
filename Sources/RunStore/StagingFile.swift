import Foundation

/// Rows of a staged run in a temporary file beside the store, unlinked as soon as it is opened: a
/// process that dies leaves nothing behind, and the store file is not touched until the commit.
///
/// Each row starts with its length in 4 bytes, so the commit can read the file back in blocks;
/// each value is written as it will be bound: text as a 4-byte length and its UTF-8 bytes,
/// integers and reals as 8 bytes, a missing real as a 0 flag byte. Writing a row here costs a few
/// copies; staging it in an SQLite temporary table cost nearly as much as storing it.
final class StagingFile: @unchecked Sendable {
    // Used by one thread at a time: filled while a stage stages, then read once by the commit.
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private(set) var rows = 0
    /// Where the row being written starts in `buffer`, or -1 between rows.
    private var rowStart = -1

    init(directory: String) throws {
        let path = directory + "/.leadhygiene-staging-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        descriptor = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw StagingFileError(path: path, errno: errno) }
        unlink(path)
        buffer.reserveCapacity(1 << 20)
    }

    deinit { close(descriptor) }

    /// Starts a row with room for its length.
    private func beginRowIfNeeded() {
        guard rowStart < 0 else { return }
        rowStart = buffer.count
        buffer.append(contentsOf: [0, 0, 0, 0])
    }

    func append(_ text: String) {
        beginRowIfNeeded()
        var text = text
        text.withUTF8 { bytes in
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: bytes)
        }
    }

    func append(_ value: Int64) {
        beginRowIfNeeded()
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    func append(_ value: Double?) {
        beginRowIfNeeded()
        guard let value else { buffer.append(0); return }
        buffer.append(1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// Ends a row; writes the buffer out once it holds a mebibyte.
    func endRow() throws {
        beginRowIfNeeded()
        let length = UInt32(buffer.count - rowStart - 4).littleEndian
        withUnsafeBytes(of: length) { bytes in
            for i in 0..<4 { buffer[rowStart + i] = bytes[i] }
        }
        rowStart = -1
        rows += 1
        if buffer.count >= 1 << 20 { try writeBuffer() }
    }

    private func writeBuffer() throws {
        try buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                guard written > 0 else { throw StagingFileError(path: "staging file", errno: errno) }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Gives the disk space back once the rows are committed or dropped.
    func empty() {
        buffer = []
        _ = ftruncate(descriptor, 0)
    }

    /// Calls `body` with each row, in the order written, reading the file in blocks of 4 MiB.
    func forEachRow(_ body: (inout StagingReader) throws -> Void) throws {
        try writeBuffer()
        var block = [UInt8](repeating: 0, count: 4 << 20)
        var filled = 0
        var fileOffset: off_t = 0
        while true {
            if filled == block.count { block += [UInt8](repeating: 0, count: block.count) } // a row longer than the block
            let got = block.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, $0.count - filled, fileOffset) }
            guard got >= 0 else { throw StagingFileError(path: "staging file", errno: errno) }
            if got == 0 { break }
            filled += got
            fileOffset += off_t(got)
            var consumed = 0
            try block.withUnsafeBytes { raw in
                while filled - consumed >= 4 {
                    let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: consumed, as: UInt32.self)))
                    guard filled - consumed >= 4 + length else { break }
                    var reader = StagingReader(bytes: UnsafeRawBufferPointer(rebasing: raw[(consumed + 4)..<(consumed + 4 + length)]))
                    try body(&reader)
                    consumed += 4 + length
                }
            }
            block.withUnsafeMutableBytes { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[consumed..<filled]))
            }
            filled -= consumed
        }
    }
}

/// Reads a staging file's values back in the order they were written.
struct StagingReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    mutating func text() -> UnsafeRawBufferPointer {
        let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let text = UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<(offset + 4 + count)])
        offset += 4 + count
        return text
    }

    mutating func integer() -> Int64 {
        defer { offset += 8 }
        return Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }

    mutating func real() -> Double? {
        let present = bytes[offset] == 1
        offset += 1
        guard present else { return nil }
        defer { offset += 8 }
        return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
    }
}

/// A staging file could not be created or written.
struct StagingFileError: Error, CustomStringConvertible {
    var path: String
    var errno: Int32
    var description: String { "cannot stage the run's rows in '\(path)': \(String(cString: strerror(errno)))" }
}
