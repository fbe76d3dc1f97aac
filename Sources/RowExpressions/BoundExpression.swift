import LeadFacts
import LeadRecords

/// A ``RowExpression`` bound to a schema's column positions, evaluated on every row.
///
/// Binding compiles the tree once into an ``ExpressionProgram``: plain nodes over column positions, every
/// written value folded to bytes, so evaluating a row reads the cells' bytes and makes no strings.
public struct BoundExpression: Sendable {
    private let program: ExpressionProgram
    /// The columns the condition reads, as written and as bound, each once in the order written
    /// (what an explanation shows).
    public private(set) var columns: [(name: String, index: ColumnIndex)] = []

    /// Binds `expression`'s column names.
    /// - Throws: ``ExpressionError`` at the first name the resolver does not find.
    public init(_ expression: RowExpression, resolver: ColumnResolver) throws(ExpressionError) {
        for reference in expression.columns {
            columns.append((reference.name, try resolver.resolve(reference)))
        }
        program = try ExpressionProgram(expression, resolver: resolver)
    }

    /// The condition's truth on a row's values (positions past the end read as empty).
    public func evaluate(_ values: [String]) -> Truth {
        var scratch = RowScratch(width: 0)
        return values.withUnsafeBufferPointer { program.evaluate($0, &scratch) }
    }

    /// The condition's truth on a row's packed values in place: a stage evaluating several conditions on a
    /// row shares what their cells work out to through `scratch` (``RowScratch/nextRow()`` before each row).
    public func evaluate(row values: PackedFields, scratch: inout RowScratch) -> Truth {
        program.evaluate(values, &scratch)
    }
}

/// A row a condition reads: each cell's UTF-8 bytes by position, empty past the end.
protocol CellRow {
    func withCell<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R
}

extension PackedFields: CellRow {
    @inline(__always) func withCell<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUTF8(column, body)
    }
}

extension UnsafeBufferPointer: CellRow where Element == String {
    @inline(__always) func withCell<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        column < count ? self[column].withBytes(body) : body(UnsafeBufferPointer<UInt8>(start: nil, count: 0))
    }
}

/// Empty or only spaces and tabs: what a condition (and route's owner column) reads as a missing value.
@inline(__always) public func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    for b in bytes where b != 0x20 && b != 0x09 && b != 0x0D { return false }
    return true
}

extension String {
    /// Empty or only spaces and tabs: what a condition reads as a missing value.
    /// ``isBlank(_:)`` of the string's bytes.
    public var isBlank: Bool { withBytes(RowExpressions.isBlank) }

    /// The cell without the spaces and tabs around it (and a trailing CR), as conditions compare it.
    public var trimmingSpaces: String {
        // Nothing to trim at either end (the usual cell): the string itself, as the loops below would leave it.
        if let first = utf8.first, let last = utf8.last, first != 0x20, first != 0x09, last != 0x20, last != 0x09, last != 0x0D {
            return self
        }
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\r" { view.removeLast() }
        return String(view)
    }

    /// Calls `body` with the string's UTF-8 bytes, without copying a native or small string.
    @inline(__always) func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}

extension BoundExpression {
    /// The condition as a plain value for a per-row loop: it refers to the compiled program without owning
    /// it, so copying or evaluating it retains nothing. Valid while this expression, which owns the
    /// program, lives: a stage keeps both.
    public var unretained: UnretainedExpression { UnretainedExpression(program: Unmanaged.passUnretained(program)) }
}

/// A ``BoundExpression``'s compiled program, referred to without being retained (``BoundExpression/unretained``).
public struct UnretainedExpression: @unchecked Sendable { // the program is immutable once built
    /// Unmanaged rather than `unowned(unsafe)`: calling a method through an `unowned(unsafe)` reference still
    /// retains and releases the program around the call, twice per condition per row.
    let program: Unmanaged<ExpressionProgram>

    /// ``BoundExpression/evaluate(row:scratch:)``.
    @inline(__always) public func evaluate(row values: PackedFields, scratch: inout RowScratch) -> Truth {
        program._withUnsafeGuaranteedRef { $0.evaluate(values, &scratch) }
    }
}
