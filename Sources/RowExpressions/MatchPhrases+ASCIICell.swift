extension MatchPhrases.Searcher {
    /// ``matches(words:)`` of an ASCII cell's words, read from the cell itself: at each word start of the
    /// cell, a phrase's bytes are compared with the cell's bytes lower-cased, a space in the phrase standing
    /// for a run of bytes that are not letters or digits (or the cell's end), as the words written out would
    /// have it. Nothing is written: a cell that is searched once (an email) costs one pass over its bytes.
    func matches(asciiCell cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = cell.baseAddress else { return false }
        let table = Self.wordByteTable
        let n = cell.count
        var previous: UInt8 = 0
        var k = 0
        while k < n {
            let b = table[Int(base[k])]
            // A word starts here: only the phrases whose first letter it is can start with it.
            if b != 0 && previous == 0 {
                let first = Int(bucketStarts[Int(b)]), last = Int(bucketStarts[Int(b) &+ 1])
                var q = first
                while q < last {
                    let p = Int(byFirstByte[q])
                    let start = p == 0 ? 0 : ends[p &- 1]
                    if Self.holds(cell, at: k, table, bytes, start, ends[p]) { return true }
                    q &+= 1
                }
            }
            previous = b
            k &+= 1
        }
        return false
    }

    /// ``wordBytes`` in memory allocated once and never freed, read without an array's retain (written once,
    /// in the initializer, then only read: hence `nonisolated(unsafe)`).
    nonisolated(unsafe) private static let wordByteTable: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(from: wordBytes, count: 256)
        return UnsafePointer(table)
    }()

    /// Whether the cell's words from the word starting at `at` begin with the phrase `phrase[start..<end]`
    /// (` head of `), given that the phrase's first letter is the word's.
    @inline(__always)
    private static func holds(_ cell: UnsafeBufferPointer<UInt8>, at k: Int, _ table: UnsafePointer<UInt8>,
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
