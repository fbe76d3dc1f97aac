import Foundation
import LeadRecords

/// Reads a file (or standard input) in large blocks with `read(2)`, never loading it whole.
final class ByteStream {
    let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private(set) var isAtEnd = false
    let blockSize: Int
    /// Where reading started, when the input is a regular file (which ``rewind()`` can go back to);
    /// `nil` for pipes, terminals and sockets, which can be read only once.
    private let rewindOffset: off_t?

    /// The hash of the bytes read since the start (or the last ``rewind()``), when asked for: hashed as
    /// they are read, so a FIFO or pipe, which cannot be opened twice, gets a checksum too.
    private(set) var hash: ContentHash?

    init(path: String, blockSize: Int = 1 << 20, hashesInput: Bool = false) throws {
        self.path = path
        self.blockSize = blockSize
        hash = hashesInput ? ContentHash() : nil
        if path == "-" {
            fd = STDIN_FILENO
            ownsDescriptor = false
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw InputOutputError.system(path, "cannot open input") }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw InputOutputError(path: path, "is a directory, not an input file")
            }
            ownsDescriptor = true
        }
        // Standard input redirected from a file (`< leads.jsonl`) is as rewindable as a named file;
        // it may not start at offset 0, so remember where it does.
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            let offset = lseek(fd, 0, SEEK_CUR)
            rewindOffset = offset >= 0 ? offset : nil
        } else {
            rewindOffset = nil
        }
    }

    /// Whether ``rewind()`` can read the input again from where it started.
    var canRewind: Bool { rewindOffset != nil }

    /// Goes back to where reading started, so the input can be read a second time.
    /// - Throws: ``InputOutputError`` when the input is not a regular file or seeking fails.
    func rewind() throws {
        guard let rewindOffset else { throw InputOutputError(path: path, "cannot be read twice: not a regular file") }
        guard lseek(fd, rewindOffset, SEEK_SET) >= 0 else { throw InputOutputError.system(path, "cannot go back to the start") }
        isAtEnd = false
        if hash != nil { hash = ContentHash() }
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// Appends up to one block to `buffer`; returns the number of bytes read (0 at the end).
    func read(appendingTo buffer: inout [UInt8]) throws -> Int {
        guard !isAtEnd else { return 0 }
        let old = buffer.count
        buffer.reserveCapacity(old + blockSize)
        var got = 0
        buffer.append(contentsOf: repeatElement(0, count: blockSize))
        let result = buffer.withUnsafeMutableBytes { raw -> Int in
            var n: Int
            repeat {
                n = Foundation.read(fd, raw.baseAddress! + old, blockSize)
            } while n < 0 && errno == EINTR
            return n
        }
        guard result >= 0 else {
            buffer.removeLast(blockSize)
            throw InputOutputError.system(path, "read failed")
        }
        got = result
        buffer.removeLast(blockSize - got)
        if hash != nil { buffer.withUnsafeBufferPointer { hash!.combine(buffer: UnsafeBufferPointer(rebasing: $0[old...])) } }
        if got == 0 { isAtEnd = true }
        return got
    }
}
