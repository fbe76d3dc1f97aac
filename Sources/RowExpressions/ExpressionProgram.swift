import LeadFacts
import LeadRecords

/// A bound condition compiled for evaluating millions of rows: its nodes in one array over column
/// positions, every written value folded once to bytes in another, so a row's evaluation reads the
/// cells' bytes in place, makes no strings and retains nothing per node.
///
/// A class, so a rule holding it is one reference however many values the condition writes.
final class ExpressionProgram: @unchecked Sendable { // immutable after init; its buffers are only read
    enum Node: Sendable {
        /// `column == value` (or `!=`): the value is ``items`` entry `item`.
        case equal(column: Int, item: Int, negated: Bool)
        case order(column: Int, op: ComparisonOperator, number: Double)
        /// `column in [...]`: ``items`` entries `first ..< first + count`; `anyNumber` when one of them states a number.
        case inList(column: Int, first: Int, count: Int, anyNumber: Bool)
        case between(column: Int, low: Double, high: Double)
        case matches(column: Int, phrases: Int)
        case missing(column: Int)
        case not(Int)
        case and(Int, Int)
        case or(Int, Int)
    }

    /// A written value: its folded text (``TextFolding``) as bytes in ``texts``, and the number it states.
    struct Item: Sendable {
        var textStart: Int
        var textCount: Int
        var number: Double
        var hasNumber: Bool
    }

    // Held as raw buffers, allocated once here and freed in `deinit`: reading them per node then costs
    // a load, where an array would be retained and released around every use.
    private let nodes: UnsafeMutableBufferPointer<Node>
    private let items: UnsafeMutableBufferPointer<Item>
    /// Every item's folded text back to back.
    private let texts: UnsafeMutableBufferPointer<UInt8>
    /// Every item's folded text as a string, for comparing a cell that is not ASCII (folded the same way).
    private let foldedTexts: [String]
    /// The `matches_any` phrase sets, owned here; ``searchers`` reads them.
    private let phrases: [MatchPhrases]
    private let searchers: UnsafeMutableBufferPointer<MatchPhrases.Searcher>
    private let root: Int

    init(_ expression: RowExpression, resolver: ColumnResolver) throws(ExpressionError) {
        var builder = Builder()
        root = try builder.add(expression, resolver)
        nodes = Self.copy(builder.nodes)
        items = Self.copy(builder.items)
        texts = Self.copy(builder.texts)
        foldedTexts = builder.foldedTexts
        phrases = Array(builder.phrases)
        searchers = Self.copy(ContiguousArray(builder.phrases.map(\.searcher)))
    }

    deinit {
        nodes.deallocate()
        items.deallocate()
        texts.deallocate()
        searchers.deallocate()
    }

    private static func copy<T>(_ array: ContiguousArray<T>) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }

    /// Collects nodes children first, so a node's operands are always built before it.
    private struct Builder {
        var nodes: ContiguousArray<Node> = []
        var items: ContiguousArray<Item> = []
        var texts: ContiguousArray<UInt8> = []
        var foldedTexts: [String] = []
        var phrases: ContiguousArray<MatchPhrases> = []

        mutating func item(_ literal: Literal) -> Int {
            let folded = TextFolding.fold(literal.text.trimmingSpaces)
            items.append(Item(textStart: texts.count, textCount: folded.utf8.count, number: literal.number ?? 0,
                              hasNumber: literal.number != nil))
            texts.append(contentsOf: folded.utf8)
            foldedTexts.append(folded)
            return items.count - 1
        }

        mutating func add(_ expression: RowExpression, _ resolver: ColumnResolver) throws(ExpressionError) -> Int {
            let node: Node
            switch expression {
            case .compare(let column, let op, let literal):
                let position = try resolver.resolve(column).position
                switch op {
                case .equal, .notEqual:
                    node = .equal(column: position, item: item(literal), negated: op == .notEqual)
                default:
                    guard let number = literal.number else {
                        throw ExpressionError(offset: column.offset, "'\(column.name) \(op.rawValue) \(literal.text)': "
                                              + "\(op.rawValue) compares numbers, and '\(literal.text)' is not one")
                    }
                    node = .order(column: position, op: op, number: number)
                }
            case .isIn(let column, let literals):
                let first = items.count
                for literal in literals { _ = item(literal) }
                node = .inList(column: try resolver.resolve(column).position, first: first, count: literals.count,
                               anyNumber: literals.contains { $0.number != nil })
            case .between(let column, let low, let high):
                node = .between(column: try resolver.resolve(column).position, low: low.number ?? 0, high: high.number ?? 0)
            case .matchesAny(let column, let texts):
                phrases.append(MatchPhrases(texts))
                node = .matches(column: try resolver.resolve(column).position, phrases: phrases.count - 1)
            case .isMissing(let column):
                node = .missing(column: try resolver.resolve(column).position)
            case .not(let inner):
                node = .not(try add(inner, resolver))
            case .and(let a, let b):
                node = .and(try add(a, resolver), try add(b, resolver))
            case .or(let a, let b):
                node = .or(try add(a, resolver), try add(b, resolver))
            }
            nodes.append(node)
            return nodes.count - 1
        }
    }

    /// The condition's truth on a row's values (positions past the end read as empty), with what its
    /// cells work out to kept in `scratch` for the row's other conditions.
    func evaluate<Row: CellRow>(_ values: Row, _ scratch: inout RowScratch) -> Truth {
        evaluate(root, values, &scratch)
    }

    private func evaluate<Row: CellRow>(_ index: Int, _ row: Row, _ scratch: inout RowScratch) -> Truth {
        switch nodes[index] {
        case .equal(let column, let item, let negated):
            return row.withCell(column) { cell in
                guard !isBlank(cell) else { return .unknown }
                let cellNumber = items[item].hasNumber ? scratch.number(column, cell) : nil
                return equalsAny(cell, cellNumber, first: item, count: 1) != negated ? .yes : .no
            }
        case .order(let column, let op, let number):
            guard let value = row.withCell(column, { scratch.number(column, $0) }) else { return .unknown }
            let holds: Bool = switch op {
            case .less: value < number
            case .lessOrEqual: value <= number
            case .greater: value > number
            case .greaterOrEqual: value >= number
            case .equal: value == number
            case .notEqual: value != number
            }
            return holds ? .yes : .no
        case .inList(let column, let first, let count, let anyNumber):
            return row.withCell(column) { cell in
                guard !isBlank(cell) else { return .unknown }
                let cellNumber = anyNumber ? scratch.number(column, cell) : nil
                return equalsAny(cell, cellNumber, first: first, count: count) ? .yes : .no
            }
        case .between(let column, let low, let high):
            guard let value = row.withCell(column, { scratch.number(column, $0) }) else { return .unknown }
            return value >= low && value <= high ? .yes : .no
        case .matches(let column, let set):
            let searcher = searchers[set]
            guard let found = row.withCell(column, { cell in isBlank(cell) ? nil : scratch.matches(column, cell, searcher) }) else {
                return .unknown
            }
            return found ? .yes : .no
        case .missing(let column):
            return row.withCell(column, isBlank) ? .yes : .no
        case .not(let inner):
            return !evaluate(inner, row, &scratch)
        case .and(let a, let b):
            let left = evaluate(a, row, &scratch)
            if left == .no { return .no }
            let right = evaluate(b, row, &scratch)
            if right == .no { return .no }
            return left == .yes && right == .yes ? .yes : .unknown
        case .or(let a, let b):
            let left = evaluate(a, row, &scratch)
            if left == .yes { return .yes }
            let right = evaluate(b, row, &scratch)
            if right == .yes { return .yes }
            return left == .no && right == .no ? .no : .unknown
        }
    }

    /// Whether `cell` equals one of the items `first ..< first + count`: as numbers when both state one
    /// ("1,200" == 1200), else as folded text. The cell is trimmed, read as a number and (when it is not
    /// ASCII) folded once for the whole list.
    /// `cellNumber` is the number the cell states, when an item states one too.
    private func equalsAny(_ bytes: UnsafeBufferPointer<UInt8>, _ cellNumber: Double?, first: Int, count: Int) -> Bool {
        let asciiResult: Bool? = {
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
            for i in start..<end where bytes[i] >= 0x80 { return nil }
            let length = end - start
            for k in first..<(first + count) {
                let item = items[k]
                if item.hasNumber, let cellNumber {
                    if cellNumber == item.number { return true }
                    continue
                }
                guard item.textCount == length else { continue }
                var i = 0
                while i < length {
                    let b = bytes[start + i]
                    if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != texts[item.textStart + i] { break }
                    i += 1
                }
                if i == length { return true }
            }
            return false
        }()
        if let asciiResult { return asciiResult }
        let folded = FoldedCells.fold(String(decoding: bytes, as: UTF8.self).trimmingSpaces)
        for k in first..<(first + count) {
            if items[k].hasNumber, let cellNumber {
                if cellNumber == items[k].number { return true }
                continue
            }
            if folded == foldedTexts[k] { return true }
        }
        return false
    }
}
