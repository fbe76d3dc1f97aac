/// What the conditions on one row work out from its cells, kept for the row so each is worked out once
/// however many conditions read the cell: its words for `matches_any` and the number it states.
///
/// A stage keeps one per thread, and calls ``nextRow()`` before evaluating a row's conditions.
public struct RowScratch {
    /// The current row's stamp; a column's entry is this row's when its stamp equals it.
    private var row: UInt32 = 1
    private var wordsRow: [UInt32]
    private var wordsStart: [Int]
    private var wordsEnd: [Int]
    private(set) var words: [UInt8] = []
    private var numberRow: [UInt32]
    private var numbers: [Double?]
    /// What `matches_any` found in cells of earlier rows, which the current row's cells may repeat
    /// (none for a scratch of no width, made to evaluate one row).
    private let memo: MatchMemo?

    /// A scratch for rows of `width` columns (wider rows work too, their extra columns unremembered).
    public init(width: Int) {
        wordsRow = Array(repeating: 0, count: width)
        wordsStart = Array(repeating: 0, count: width)
        wordsEnd = Array(repeating: 0, count: width)
        numberRow = Array(repeating: 0, count: width)
        numbers = Array(repeating: nil, count: width)
        memo = width > 0 ? MatchMemo(width: width) : nil
    }

    /// Forgets the last row's cells.
    public mutating func nextRow() {
        row &+= 1
        words.removeAll(keepingCapacity: true)
        if row == 0 {
            // The stamp wrapped: clear every column so none looks current.
            for i in wordsRow.indices {
                wordsRow[i] = 0
                numberRow[i] = 0
            }
            memo?.forgetRows()
            row = 1
        }
    }

    /// ``NumberText/value(_:)`` of the cell in `column`, given as its UTF-8 bytes.
    mutating func number(_ column: Int, _ cell: UnsafeBufferPointer<UInt8>) -> Double? {
        guard column < numberRow.count else { return NumberText.value(bytes: cell) }
        if numberRow[column] == row { return numbers[column] }
        let value = NumberText.value(bytes: cell)
        numbers[column] = value
        numberRow[column] = row
        return value
    }

    /// Whether `searcher` finds one of its phrases in the cell in `column`, given as its UTF-8 bytes (not blank):
    /// remembered from an earlier row with the same cell when there is one (``MatchMemo``), else searched in
    /// the cell itself when it is ASCII, or in its words (folded once for the row).
    mutating func matches(_ column: Int, _ cell: UnsafeBufferPointer<UInt8>, _ searcher: MatchPhrases.Searcher) -> Bool {
        guard let memo, let slot = memo.slot(column, cell, row: row) else { return search(column, cell, searcher) }
        let bit = memo.bit(of: searcher.id)
        guard bit != 0 else { return search(column, cell, searcher) }
        if slot.pointee.known & bit != 0 { return slot.pointee.found & bit != 0 }
        let found = search(column, cell, searcher)
        slot.pointee.known |= bit
        if found { slot.pointee.found |= bit }
        return found
    }

    private mutating func search(_ column: Int, _ cell: UnsafeBufferPointer<UInt8>, _ searcher: MatchPhrases.Searcher) -> Bool {
        if MatchPhrases.Searcher.isASCII(cell) { return searcher.matches(asciiCell: cell) }
        let range = words(column, cell)
        return words.withUnsafeBufferPointer { searcher.matches(words: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Where in ``words`` the words of the cell in `column` are (``MatchPhrases``' form).
    mutating func words(_ column: Int, _ cell: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        if column < wordsRow.count, wordsRow[column] == row { return wordsStart[column]..<wordsEnd[column] }
        let start = words.count
        MatchPhrases.Searcher.appendWords(of: cell, to: &words)
        if column < wordsRow.count {
            wordsStart[column] = start
            wordsEnd[column] = words.count
            wordsRow[column] = row
        }
        return start..<words.count
    }
}
