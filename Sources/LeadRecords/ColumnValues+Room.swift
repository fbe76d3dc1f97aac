extension ColumnValues {
    /// Makes room for `extra` more bytes, so that pointers into the written bytes stay valid while that
    /// many are appended.
    public func reserve(_ extra: Int) {
        let needed = state.pointee.count + extra
        if needed > state.pointee.capacity { grow(to: needed) }
    }

    /// Lets `body` write at most `capacity` bytes straight after the written ones; `body` returns how many
    /// it wrote, which then belong to the value being written.
    public func append(upTo capacity: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(capacity)
        let count = state.pointee.count
        let written = body(state.pointee.bytes + count)
        precondition(written >= 0 && written <= capacity, "wrote more bytes than the room asked for")
        state.pointee.count = count + written
    }

    /// Appends a copy of bytes written before (`range`, positions ``count`` had) to the value being written.
    public func appendWritten(_ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= state.pointee.count, "range outside the written bytes")
        reserve(range.count)
        let bytes = state.pointee.bytes
        (bytes + state.pointee.count).update(from: bytes + range.lowerBound, count: range.count)
        state.pointee.count += range.count
    }
}
