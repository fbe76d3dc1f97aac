/// The values a stage adds to a row, built as bytes in one buffer the stage reuses from row to row, then
/// written into the row at once (``PackedFields/replace(_:with:ends:)``): one new buffer per row, no strings.
///
/// One per thread. Its state lives in memory it owns, reached through one pointer: appending is a copy
/// with none of an array's uniqueness checks nor a class property's exclusivity checks, and emptying it
/// for the next row is setting two counts.
public final class ColumnValues {
    @usableFromInline struct State {
        @usableFromInline var bytes: UnsafeMutablePointer<UInt8>
        @usableFromInline var capacity: Int
        @usableFromInline var count = 0
        @usableFromInline var ends: UnsafeMutablePointer<UInt32>
        @usableFromInline var endCapacity: Int
        @usableFromInline var values = 0
    }

    @usableFromInline let state: UnsafeMutablePointer<State>

    public init() {
        state = .allocate(capacity: 1)
        state.initialize(to: State(bytes: .allocate(capacity: 256), capacity: 256, ends: .allocate(capacity: 8), endCapacity: 8))
    }

    deinit {
        state.pointee.bytes.deallocate()
        state.pointee.ends.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Bytes written for the row so far.
    @inlinable public var count: Int { state.pointee.count }

    /// Forgets the last row's values.
    @inlinable public func start() {
        state.pointee.count = 0
        state.pointee.values = 0
    }

    /// Ends the value being written: the bytes since the last end are its text.
    @inlinable public func endValue() {
        if state.pointee.values == state.pointee.endCapacity { growEnds() }
        state.pointee.ends[state.pointee.values] = UInt32(state.pointee.count)
        state.pointee.values += 1
    }

    /// Appends bytes to the value being written.
    @inlinable public func append(_ text: UnsafeBufferPointer<UInt8>) {
        guard let source = text.baseAddress, !text.isEmpty else { return }
        let count = state.pointee.count
        if count + text.count > state.pointee.capacity { grow(to: count + text.count) }
        (state.pointee.bytes + count).update(from: source, count: text.count)
        state.pointee.count = count + text.count
    }

    /// Appends one byte to the value being written.
    @inlinable public func append(byte: UInt8) {
        let count = state.pointee.count
        if count == state.pointee.capacity { grow(to: count + 1) }
        state.pointee.bytes[count] = byte
        state.pointee.count = count + 1
    }

    /// Appends `value`'s bytes to the value being written.
    public func append(_ value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ append($0) }) != nil { return }
        var value = value
        value.withUTF8 { append($0) }
    }

    /// Appends `value` as a whole value (``append(_:)`` then ``endValue()``).
    public func appendValue(_ value: String) {
        append(value)
        endValue()
    }

    /// The bytes written since `start` (a position ``count`` had), valid until the next append.
    public func written(from start: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: state.pointee.bytes + start, count: state.pointee.count - start)
    }

    @usableFromInline func grow(to needed: Int) {
        let capacity = max(needed, 2 * state.pointee.capacity)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.update(from: state.pointee.bytes, count: state.pointee.count)
        state.pointee.bytes.deallocate()
        state.pointee.bytes = larger
        state.pointee.capacity = capacity
    }

    @usableFromInline func growEnds() {
        let capacity = 2 * state.pointee.endCapacity
        let larger = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        larger.update(from: state.pointee.ends, count: state.pointee.values)
        state.pointee.ends.deallocate()
        state.pointee.ends = larger
        state.pointee.endCapacity = capacity
    }

    /// Writes the values into the adjacent columns `run`, one per column; `extra` as
    /// ``PackedFields/replace(_:with:ends:reserving:)`` takes it.
    public func write(into fields: inout PackedFields, run: Range<Int>, reserving extra: Int = 0) {
        let state = state.pointee
        fields.replace(run, with: UnsafeBufferPointer(start: state.bytes, count: state.count),
                       ends: UnsafeBufferPointer(start: state.ends, count: state.values), reserving: extra)
    }

    /// Writes the values one by one into `columns`, for columns that are not adjacent.
    public func write(into fields: inout PackedFields, columns: [Int]) {
        let state = state.pointee
        var start = 0
        for (k, column) in columns.enumerated() {
            let end = Int(state.ends[k])
            fields.replace(column, with: UnsafeBufferPointer(start: state.bytes + start, count: end - start))
            start = end
        }
    }
}
