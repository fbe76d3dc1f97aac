import Foundation

/// Reads a file (or standard input) in large blocks with `read(2)`, never loading it whole.
final class ByteStream {
    let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private(set) var isAtEnd = false
    let blockSize: Int

    init(path: String, blockSize: Int = 1 << 20) throws {
        self.path = path
        self.blockSize = blockSize
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
        if got == 0 { isAtEnd = true }
        return got
    }
}
