/// Rows whose values are partly set aside while a whole-list stage holds them: the stage reads a few columns,
/// the row keeps those, and the rest goes to a file and comes back after the stage.
extension PackedFields {
    /// Appends the row as it is stored (its shape, then its buffer) to `blob`, for ``init(storedIn:at:)``.
    public func appendStored(to blob: inout [UInt8]) {
        for word in [filled, shape, UInt32(storage.count)] {
            withUnsafeBytes(of: word.littleEndian) { blob.append(contentsOf: $0) }
        }
        blob.append(contentsOf: storage)
    }

    /// The row ``appendStored(to:)`` wrote at `offset` in `blob`; `offset` moves past it.
    public init(storedIn blob: UnsafeRawBufferPointer, at offset: inout Int) {
        func word(_ i: Int) -> UInt32 { UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)) }
        let filled = word(0), shape = word(1), count = Int(word(2))
        offset += 12
        self.init(width: 0)
        storage = [UInt8](UnsafeRawBufferPointer(rebasing: blob[offset..<(offset + count)]))
        self.filled = filled
        self.shape = shape
        offset += count
    }

    /// The row with only the columns `kept` marks, every other column empty, as wide as this one.
    public func keeping(_ kept: [Bool], builder: inout PackedFieldsBuilder) -> PackedFields {
        let last = min(Int(filled), kept.count)
        for i in 0..<last {
            if kept[i] { withUTF8(i) { builder.append($0) } } else { builder.append(UnsafeBufferPointer(start: nil, count: 0)) }
        }
        return builder.finish(width: count)
    }

    /// `original`'s values, except in the columns `kept` marks, which hold this row's: the row a whole-list stage
    /// held with only those columns, put back together with the values set aside while it ran.
    public func restoring(_ original: PackedFields, kept: [Bool], builder: inout PackedFieldsBuilder) -> PackedFields {
        let width = max(count, original.count)
        let last = max(Int(filled), Int(original.filled))
        for i in 0..<last {
            let held = i < kept.count && kept[i]
            (held ? self : original).withUTF8(i) { builder.append($0) }
        }
        return builder.finish(width: width)
    }
}
