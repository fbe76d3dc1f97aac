/// A row's values in one byte buffer: the end offset of each field, then the fields' UTF-8 text back to back.
///
/// A `[String]` row costs 16 bytes per column even when empty, and a heap object per value longer than 15
/// bytes; rows widened to a 75-column output schema held about 2.6 KB each, which is what a whole-list stage
/// keeps for every row. Packed, a row costs its text, two bytes per column up to its last non-empty one
/// (four when its text reaches 64 KiB), and one allocation. Strings are built only where a stage reads a
/// value as one.
///
/// Layout of `storage`: `filled` little-endian end offsets (relative to the text), `UInt16` while the text is
/// under 64 KiB and `UInt32` from then on (``isWide``), then the text. Columns at or past `filled` are empty;
/// `width` is the number of columns the row has.
public struct PackedFields: Sendable {
    @usableFromInline var storage: [UInt8]
    /// Columns with an end offset stored; every later column is empty.
    @usableFromInline var filled: UInt32
    /// The row's width in the low 31 bits; the top bit set when the offsets are four bytes wide. (A separate
    /// flag would make every record, of which a whole list holds millions, eight bytes larger.)
    @usableFromInline var shape: UInt32

    @usableFromInline static let wideFlag: UInt32 = 1 << 31
    /// The longest text two-byte offsets can end.
    @usableFromInline static let narrowTextLimit = Int(UInt16.max)

    /// A row of `width` empty values; allocates nothing.
    @inlinable public init(width: Int = 0) {
        storage = []
        filled = 0
        shape = UInt32(width)
    }

    /// The values of `strings`, one per column.
    public init(_ strings: [String]) {
        var last = strings.count
        while last > 0 && strings[last - 1].isEmpty { last -= 1 }
        var text = 0
        for i in 0..<last { text += strings[i].utf8.count }
        let wide = text > Self.narrowTextLimit
        var storage: [UInt8] = []
        storage.reserveCapacity((wide ? 4 : 2) * last + text)
        var end = 0
        for i in 0..<last {
            end += strings[i].utf8.count
            Self.appendEnd(end, wide: wide, to: &storage)
        }
        for i in 0..<last {
            var value = strings[i]
            value.withUTF8 { storage.append(contentsOf: $0) }
        }
        self.storage = storage
        filled = UInt32(last)
        shape = UInt32(strings.count) | (wide ? Self.wideFlag : 0)
    }

    /// Columns in the row, empty ones included.
    @usableFromInline var width: UInt32 {
        get { shape & ~Self.wideFlag }
        set { shape = newValue | (shape & Self.wideFlag) }
    }

    /// Whether the end offsets are four bytes wide (the text has reached 64 KiB).
    @inlinable var isWide: Bool { shape & Self.wideFlag != 0 }

    /// Bytes per end offset.
    @inlinable var offsetSize: Int { isWide ? 4 : 2 }

    /// Where the text starts in `storage`.
    @inlinable var textStart: Int { offsetSize * Int(filled) }

    /// Columns in the row (empty ones included).
    @inlinable public var count: Int { Int(width) }

    /// Every value as a string; for code off the per-row path.
    public var strings: [String] { (0..<count).map { self[$0] } }

    /// Makes the row at least `width` columns wide; the added columns are empty and cost nothing.
    @inlinable public mutating func pad(to width: Int) {
        if width > count { self.width = UInt32(width) }
    }

    /// Column `j`'s end offset in the offsets at `raw`, `wide` saying their size.
    @inlinable @inline(__always)
    static func end(_ j: Int, in raw: UnsafeRawBufferPointer, wide: Bool) -> Int {
        wide ? Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * j, as: UInt32.self)))
             : Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * j, as: UInt16.self)))
    }

    /// Stores column `j`'s end offset.
    @inline(__always)
    static func setEnd(_ j: Int, to value: Int, in raw: UnsafeMutableRawBufferPointer, wide: Bool) {
        if wide {
            raw.storeBytes(of: UInt32(value).littleEndian, toByteOffset: 4 * j, as: UInt32.self)
        } else {
            raw.storeBytes(of: UInt16(value).littleEndian, toByteOffset: 2 * j, as: UInt16.self)
        }
    }

    @inline(__always) static func appendEnd(_ value: Int, wide: Bool, to storage: inout [UInt8]) {
        if wide {
            withUnsafeBytes(of: UInt32(value).littleEndian) { storage.append(contentsOf: $0) }
        } else {
            withUnsafeBytes(of: UInt16(value).littleEndian) { storage.append(contentsOf: $0) }
        }
    }

    /// Where column `i`'s text lies within the text part; empty past `filled`.
    @inlinable func textRange(_ i: Int) -> Range<Int> {
        guard i < Int(filled) else { return 0..<0 }
        let wide = isWide
        return storage.withUnsafeBytes { raw in
            let end = Self.end(i, in: raw, wide: wide)
            let start = i == 0 ? 0 : Self.end(i - 1, in: raw, wide: wide)
            return start..<end
        }
    }

    /// Whether column `i` is empty.
    @inlinable public func isEmpty(_ i: Int) -> Bool { textRange(i).isEmpty }

    /// Column `i`'s length in UTF-8 bytes.
    @inlinable public func utf8Count(_ i: Int) -> Int { textRange(i).count }

    /// Calls `body` with column `i`'s UTF-8 bytes, without building a string.
    @inlinable public func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = textRange(i)
        if range.isEmpty { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let textStart = self.textStart
        return try storage.withUnsafeBufferPointer {
            try body(UnsafeBufferPointer(rebasing: $0[(textStart + range.lowerBound)..<(textStart + range.upperBound)]))
        }
    }

    /// Whether column `i` holds exactly `value`'s text.
    @inlinable public func equals(_ i: Int, _ value: String) -> Bool {
        var value = value
        return value.withUTF8 { wanted in withUTF8(i) { $0.elementsEqual(wanted) } }
    }

    /// Column `i`'s value; empty past the row's width. Setting a column past the width widens the row.
    public subscript(i: Int) -> String {
        get { withUTF8(i) { String(decoding: $0, as: UTF8.self) } }
        set {
            var value = newValue
            value.withUTF8 { replace(i, with: $0) }
        }
    }

    /// Sets column `i` to `bytes` (valid UTF-8): the later columns' text moves, their offsets shift.
    public mutating func replace(_ i: Int, with bytes: UnsafeBufferPointer<UInt8>) {
        if i >= count { width = UInt32(i + 1) }
        if i >= Int(filled) {
            if bytes.isEmpty { return }
            // Offsets for every column up to the row's width at once: stages fill their added columns one after
            // the other, and each extension moves the row's text (and may reallocate it).
            extendOffsets(to: count)
        }
        var range = textRange(i)
        let delta = bytes.count - range.count
        if !isWide && storage.count - textStart + delta > Self.narrowTextLimit {
            widen()
            range = textRange(i)
        }
        let textStart = self.textStart
        let oldCount = storage.count
        if delta > 0 {
            reserveRoom(delta)
            Self.appendZeros(delta, to: &storage)  // the room the later text moves into
        }
        let wide = isWide
        storage.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            let from = textStart + range.upperBound
            let tail = oldCount - from
            if delta != 0 && tail > 0 { (base + from + delta).copyMemory(from: base + from, byteCount: tail) }
            if let source = bytes.baseAddress, !bytes.isEmpty {
                (base + textStart + range.lowerBound).copyMemory(from: source, byteCount: bytes.count)
            }
            if delta != 0 { Self.shiftOffsets(raw, from: i, to: Int(filled), by: delta, wide: wide) }
        }
        if delta < 0 { storage.removeLast(-delta) }
    }

    /// Adds `delta` to the end offsets of columns `from..<to`: every write moves the later columns' ends, so this
    /// runs for most columns of most writes and is kept to loops the compiler vectorizes (wrapping arithmetic on
    /// aligned words; the offsets start the buffer, which the allocator aligns to 16 bytes).
    @inline(__always) static func shiftOffsets(_ raw: UnsafeMutableRawBufferPointer, from: Int, to: Int, by delta: Int, wide: Bool) {
        if wide {
            let step = UInt32(truncatingIfNeeded: delta)
            raw.withMemoryRebound(to: UInt32.self) { offsets in
                for j in from..<to { offsets[j] = (UInt32(littleEndian: offsets[j]) &+ step).littleEndian }
            }
        } else {
            let step = UInt16(truncatingIfNeeded: delta)
            raw.withMemoryRebound(to: UInt16.self) { offsets in
                for j in from..<to { offsets[j] = (UInt16(littleEndian: offsets[j]) &+ step).littleEndian }
            }
        }
    }

    /// Makes room for `extra` more bytes, growing by a quarter rather than doubling as appending would: a row
    /// is filled a few values at a time and then held, and a doubled buffer would hold up to twice its bytes.
    @inline(__always) mutating func reserveRoom(_ extra: Int) {
        let needed = storage.count + extra
        if storage.capacity < needed { storage.reserveCapacity(needed + needed / 4) }
    }

    /// Stores end offsets up to column `columns` (the added columns empty), moving the text once.
    private mutating func extendOffsets(to columns: Int) {
        let added = columns - Int(filled)
        guard added > 0 else { return }
        let size = offsetSize, wide = isWide
        let oldCount = storage.count
        let textStart = self.textStart
        let textEnd = oldCount - textStart
        reserveRoom(size * added)
        // Room for the offsets (the text moves over it).
        Self.appendZeros(size * added, to: &storage)
        storage.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            if oldCount > textStart {
                (base + textStart + size * added).copyMemory(from: base + textStart, byteCount: oldCount - textStart)
            }
            for j in Int(filled)..<columns { Self.setEnd(j, to: textEnd, in: raw, wide: wide) }
        }
        filled = UInt32(columns)
    }

    /// Switches to four-byte offsets, before the text grows past what two-byte ones can end.
    mutating func widen() {
        guard !isWide else { return }
        let oldTextStart = textStart
        let textCount = storage.count - oldTextStart
        var wider: [UInt8] = []
        let total = 4 * Int(filled) + textCount
        wider.reserveCapacity(total + total / 4)
        storage.withUnsafeBytes { raw in
            for j in 0..<Int(filled) { Self.appendEnd(Self.end(j, in: raw, wide: false), wide: true, to: &wider) }
            wider.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[oldTextStart...]))
        }
        storage = wider
        shape |= Self.wideFlag
    }

    /// Bytes held for this row (its buffer's length, not its capacity).
    public var byteCount: Int { storage.count }

    /// Gives back the room kept for growth when it is more than an eighth of the row: rows about to be held
    /// for a whole-list stage keep up to a quarter more than they hold after the writes of the stages before.
    public mutating func releaseSlack() {
        let count = storage.count
        guard storage.capacity - count > count / 8 else { return }
        storage = storage.withUnsafeBufferPointer { old in
            [UInt8](unsafeUninitializedCapacity: count) { new, initialized in
                if count > 0 { new.baseAddress!.initialize(from: old.baseAddress!, count: count) }
                initialized = count
            }
        }
    }
}

/// Builds packed rows field by field, for readers that split a row's bytes themselves.
///
/// One builder serves a whole chunk: its buffers are kept between rows, so a row costs one allocation (its
/// own buffer, sized exactly).
public struct PackedFieldsBuilder {
    private var ends: [UInt32] = []
    private var text: [UInt8] = []

    public init() {}

    /// Text bytes a row keeps free for each column past its parsed ones: a stage's added values are short
    /// (a score, a tier, an owner's address, a reasons text of a few dozen bytes over four columns).
    static let roomPerAddedColumn = 16

    /// Fields appended since the last ``finish(width:)``.
    public var count: Int { ends.count }

    /// Appends the next field.
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        text.append(contentsOf: bytes)
        ends.append(UInt32(text.count))
    }

    /// The row built so far, at least `width` columns wide; the builder starts a new row.
    public mutating func finish(width: Int) -> PackedFields {
        var last = ends.count
        while last > 0 && (last == 1 ? ends[0] == 0 : ends[last - 1] == ends[last - 2]) { last -= 1 }
        var fields = PackedFields(width: max(width, ends.count))
        if last > 0 {
            let textCount = Int(ends[last - 1])
            let wide = textCount > PackedFields.narrowTextLimit
            var storage: [UInt8] = []
            // Stages that add columns store every column's offset at their first write (``extendOffsets(to:)``),
            // and the first of them writes its values: reserving for both here saves each row the reallocation
            // and copy of its text there.
            let added = max(0, width - ends.count)
            storage.reserveCapacity((wide ? 4 : 2) * max(width, last) + textCount + Self.roomPerAddedColumn * added)
            for j in 0..<last { PackedFields.appendEnd(Int(ends[j]), wide: wide, to: &storage) }
            text.withUnsafeBufferPointer { storage.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<textCount])) }
            fields.storage = storage
            fields.filled = UInt32(last)
            if wide { fields.shape |= PackedFields.wideFlag }
        }
        ends.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        return fields
    }

    /// Forgets the fields appended since the last row.
    public mutating func discard() {
        ends.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
    }
}
