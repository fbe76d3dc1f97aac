extension PackedFields {
    /// Sets the adjacent columns `columns` at once: column `columns.lowerBound + k` to the bytes of `text`
    /// from `ends[k - 1]` (0 for the first) to `ends[k]`, valid UTF-8. `ends.count` must be `columns.count`.
    ///
    /// A stage that adds several columns writes them as one run: the row gets one new buffer, sized
    /// exactly, where setting them one by one moves the row's later text and may grow its buffer each time.
    public mutating func replace(_ columns: Range<Int>, with text: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<UInt32>) {
        precondition(ends.count == columns.count, "one end offset per column")
        guard !columns.isEmpty else { return }
        let first = columns.lowerBound, last = columns.upperBound
        if last > count { width = UInt32(last) }
        let oldFilled = Int(filled)
        // Columns past `filled` are empty: writing only empty values there changes nothing.
        if first >= oldFilled && text.isEmpty { return }
        let newFilled = max(oldFilled, last)
        let oldText = storage.count - 4 * oldFilled
        // The old text before the run, the run's old text, and what follows it.
        let before = first < oldFilled ? textRange(first).lowerBound : oldText
        let after = last <= oldFilled ? textRange(last - 1).upperBound : oldText
        let delta = text.count - (after - before)
        let total = 4 * newFilled + oldText + delta
        // Reserved then appended to: the specialized growth path. Allocating through `init(repeating:count:)` or
        // `init(unsafeUninitializedCapacity:)` runs the standard library's generic code, which looks the
        // array type's metadata up on every call (about 700 instructions, twice the copying).
        var new: [UInt8] = []
        new.reserveCapacity(total)
        storage.withUnsafeBytes { old in
            withUnsafeTemporaryAllocation(byteCount: 4 * newFilled, alignment: 4) { offsets in
                let kept = min(first, oldFilled)
                if kept > 0 { offsets.baseAddress!.copyMemory(from: old.baseAddress!, byteCount: 4 * kept) }
                for j in kept..<first { offsets.storeBytes(of: UInt32(oldText).littleEndian, toByteOffset: 4 * j, as: UInt32.self) }
                for k in 0..<ends.count {
                    offsets.storeBytes(of: (UInt32(before) + ends[k]).littleEndian, toByteOffset: 4 * (first + k), as: UInt32.self)
                }
                for j in last..<newFilled {
                    let end = j < oldFilled ? Int(UInt32(littleEndian: old.loadUnaligned(fromByteOffset: 4 * j, as: UInt32.self))) : oldText
                    offsets.storeBytes(of: UInt32(end + delta).littleEndian, toByteOffset: 4 * j, as: UInt32.self)
                }
                new.append(contentsOf: UnsafeRawBufferPointer(offsets).assumingMemoryBound(to: UInt8.self))
            }
            let oldTextStart = 4 * oldFilled
            if before > 0 { new.append(contentsOf: UnsafeRawBufferPointer(rebasing: old[oldTextStart..<(oldTextStart + before)]).assumingMemoryBound(to: UInt8.self)) }
            new.append(contentsOf: text)
            if oldText > after { new.append(contentsOf: UnsafeRawBufferPointer(rebasing: old[(oldTextStart + after)...]).assumingMemoryBound(to: UInt8.self)) }
        }
        storage = new
        filled = UInt32(newFilled)
    }
}
