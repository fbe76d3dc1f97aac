/// Texts the per-row loop copies into rows (scores, tier names, `<name>_missing` lists), made once as
/// UTF-8 bytes back to back, so writing one into a row copies bytes and builds no string.
struct ByteTexts: Sendable {
    /// Text `i` is `bytes[starts[i] ..< starts[i + 1]]`.
    private let bytes: ContiguousArray<UInt8>
    private let starts: ContiguousArray<Int>

    init(_ texts: [String]) {
        var bytes: ContiguousArray<UInt8> = []
        var starts: ContiguousArray<Int> = [0]
        for text in texts {
            bytes.append(contentsOf: text.utf8)
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
    }

    var count: Int { starts.count - 1 }

    /// Appends text `i`'s bytes.
    @inline(__always) func append(_ i: Int, to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { bytes in
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[starts[i]..<starts[i + 1]]))
        }
    }
}
