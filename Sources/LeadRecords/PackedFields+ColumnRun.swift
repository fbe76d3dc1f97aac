extension PackedFields {
    /// Sets the adjacent columns `columns` at once: column `columns.lowerBound + k` to the bytes of `text`
    /// from `ends[k - 1]` (0 for the first) to `ends[k]`, valid UTF-8. `ends.count` must be `columns.count`.
    ///
    /// A stage that adds several columns writes them as one run: the row's text moves once, where setting
    /// them one by one moves the later text and may grow the buffer each time. When the buffer must grow,
    /// it grows by a quarter as ``replace(_:with:)`` does, plus `extra` bytes, room a stage knows it will
    /// fill next (its later columns), so that write happens in place.
    public mutating func replace(_ columns: Range<Int>, with text: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<UInt32>,
                                 reserving extra: Int = 0) {
        precondition(ends.count == columns.count, "one end offset per column")
        guard !columns.isEmpty else { return }
        let first = columns.lowerBound, last = columns.upperBound
        if last > count { width = UInt32(last) }
        // Columns past `filled` are empty: writing only empty values there changes nothing.
        if first >= Int(filled) && text.isEmpty { return }
        var oldFilled = Int(filled)
        var oldText = storage.count - textStart
        // The old text before the run, the run's old text, and what follows it.
        let before = first < oldFilled ? textRange(first).lowerBound : oldText
        let after = last <= oldFilled ? textRange(last - 1).upperBound : oldText
        let delta = text.count - (after - before)
        if !isWide && oldText + delta > Self.narrowTextLimit {
            widen()
            oldFilled = Int(filled)
            oldText = storage.count - textStart
        }
        let newFilled = max(oldFilled, last)
        let size = offsetSize, wide = isWide
        let oldCount = storage.count
        let total = size * newFilled + oldText + delta
        if total > storage.capacity {
            storage.reserveCapacity(total + total / 4 + extra)
        }
        if total > oldCount { Self.appendZeros(total - oldCount, to: &storage) }
        storage.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            let oldTextStart = size * oldFilled, textStart = size * newFilled
            // The text after the run first, then the text before it: each moves right or stays, and the
            // first never lands where the second still is (see the ranges), so nothing is overwritten unread.
            if oldText > after {
                (base + textStart + before + text.count).copyMemory(from: base + oldTextStart + after, byteCount: oldText - after)
            }
            if before > 0, textStart != oldTextStart { (base + textStart).copyMemory(from: base + oldTextStart, byteCount: before) }
            if let source = text.baseAddress, !text.isEmpty { (base + textStart + before).copyMemory(from: source, byteCount: text.count) }
            // Offsets last: the text has left the room they grow into. Those before the run stay as they are.
            for j in min(oldFilled, first)..<first { Self.setEnd(j, to: oldText, in: raw, wide: wide) }
            for j in last..<newFilled {
                let end = j < oldFilled ? Self.end(j, in: UnsafeRawBufferPointer(raw), wide: wide) : oldText
                Self.setEnd(j, to: end + delta, in: raw, wide: wide)
            }
            for k in 0..<ends.count { Self.setEnd(first + k, to: before + Int(ends[k]), in: raw, wide: wide) }
        }
        if total < oldCount { storage.removeLast(oldCount - total) }
        filled = UInt32(newFilled)
    }

    /// Zeros appended from a block of them: the specialized path for unsafe buffers, where appending
    /// `repeatElement(0, count:)` goes element by element.
    static func appendZeros(_ count: Int, to storage: inout [UInt8]) {
        var left = count
        zeros.withUnsafeBufferPointer { zeros in
            while left > 0 {
                let n = min(left, zeros.count)
                storage.append(contentsOf: UnsafeBufferPointer(rebasing: zeros[0..<n]))
                left -= n
            }
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 1024)
}
