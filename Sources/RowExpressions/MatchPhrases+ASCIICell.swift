extension MatchPhrases.Searcher {
    /// ``matches(words:)`` of an ASCII cell's words, read from the cell itself: at each word start of the
    /// cell, a phrase's bytes are compared with the cell's bytes lower-cased, a space in the phrase standing
    /// for a run of bytes that are not letters or digits (or the cell's end), as the words written out would
    /// have it. Nothing is written: a cell that is searched once (an email) costs one pass over its bytes.
    func matches(asciiCell cell: UnsafeBufferPointer<UInt8>) -> Bool {
        Self.wordBytes.withUnsafeBufferPointer { table in
            let n = cell.count
            var previousIsWord = false
            var k = 0
            while k < n {
                let b = table[Int(cell[k])]
                if b != 0 && !previousIsWord {
                    for q in Int(bucketStarts[Int(b)])..<Int(bucketStarts[Int(b) &+ 1]) {
                        let p = Int(byFirstByte[q])
                        let start = p == 0 ? 0 : ends[p &- 1]
                        if Self.holds(cell, at: k, table, bytes, start, ends[p]) { return true }
                    }
                }
                previousIsWord = b != 0
                k &+= 1
            }
            return false
        }
    }

    /// Whether the cell's words from the word starting at `at` begin with the phrase `phrase[start..<end]`
    /// (` head of `), given that the phrase's first letter is the word's.
    @inline(__always)
    private static func holds(_ cell: UnsafeBufferPointer<UInt8>, at k: Int, _ table: UnsafeBufferPointer<UInt8>,
                              _ phrase: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let n = cell.count
        var i = k &+ 1
        var j = start &+ 2
        // Past the cell's end, its words have ended with the one space after the last word.
        var ended = false
        while j < end {
            if ended { return false }
            let wanted = phrase[j]
            if wanted == 0x20 {
                if i < n && table[Int(cell[i])] != 0 { return false }
                while i < n && table[Int(cell[i])] == 0 { i &+= 1 }
                if i == n { ended = true }
            } else {
                // A word byte is never 0, so neither is a byte a phrase can match.
                guard i < n, wanted != 0, table[Int(cell[i])] == wanted else { return false }
                i &+= 1
            }
            j &+= 1
        }
        return true
    }
}
