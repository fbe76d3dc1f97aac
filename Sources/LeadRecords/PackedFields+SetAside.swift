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

    /// The row with only the columns `kept` marks, every other column empty, as wide as this one; its buffer has
    /// room for offsets up to column `columns` and `extra` more bytes of text, so a stage's writes into those
    /// columns need not grow it (a million rows regrown at once left the freed buffers as holes in the heap).
    public func keeping(_ kept: [Bool], roomForColumns columns: Int, extra: Int) -> PackedFields {
        var last = 0, text = 0
        for i in 0..<min(Int(filled), kept.count) where kept[i] {
            let n = utf8Count(i)
            if n > 0 {
                last = i + 1
                text += n
            }
        }
        var held = PackedFields(width: count)
        let wide = text > Self.narrowTextLimit
        var bytes: [UInt8] = []
        bytes.reserveCapacity((wide ? 4 : 2) * max(last, columns) + text + extra)
        var end = 0
        for i in 0..<last {
            if kept[i] { end += utf8Count(i) }
            Self.appendEnd(end, wide: wide, to: &bytes)
        }
        for i in 0..<last where kept[i] { withUTF8(i) { bytes.append(contentsOf: $0) } }
        held.storage = bytes
        held.filled = UInt32(last)
        if wide { held.shape |= Self.wideFlag }
        return held
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
