/// Texts a stage copies into many rows (scores, tier names, owners, reasons), made once as UTF-8 bytes
/// back to back, so writing one into a row copies bytes and builds no string.
public struct ByteTexts: Sendable {
    /// Text `i` is `bytes[starts[i] ..< starts[i + 1]]`.
    @usableFromInline let bytes: ContiguousArray<UInt8>
    @usableFromInline let starts: ContiguousArray<Int>

    public init(_ texts: [String]) {
        var bytes: ContiguousArray<UInt8> = []
        var starts: ContiguousArray<Int> = [0]
        for text in texts {
            bytes.append(contentsOf: text.utf8)
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
    }

    public var count: Int { starts.count - 1 }

    /// Appends text `i`'s bytes to the value being written.
    @inlinable public func append(_ i: Int, to values: ColumnValues) {
        bytes.withUnsafeBufferPointer { bytes in
            starts.withUnsafeBufferPointer { starts in
                values.append(UnsafeBufferPointer(rebasing: bytes[starts[i]..<starts[i + 1]]))
            }
        }
    }
}
