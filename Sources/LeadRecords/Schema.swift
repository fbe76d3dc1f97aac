/// The position of a column in a run's ``Schema``.
public struct ColumnIndex: Hashable, Sendable {
    public let position: Int
    public init(_ position: Int) { self.position = position }
}

/// The ordered columns of a run: the input's columns first, untouched and in their order,
/// then the columns stages add, in pipeline order.
public struct Schema: Sendable, Equatable {
    /// Column names in output order.
    public private(set) var columns: [String]
    /// How many of ``columns`` came from the input.
    public let inputColumnCount: Int
    private var positions: [String: Int]

    /// Creates a schema from the input's header.
    public init(inputColumns: [String]) {
        columns = inputColumns
        inputColumnCount = inputColumns.count
        positions = [:]
        for (i, name) in inputColumns.enumerated() where positions[name] == nil { positions[name] = i }
    }

    /// The number of columns.
    public var count: Int { columns.count }

    /// The index of a column by exact name.
    public func index(of name: String) -> ColumnIndex? { positions[name].map(ColumnIndex.init) }

    /// Adds a column a stage produces, or returns the existing one if a stage already added it.
    ///
    /// An input column with the same name is reused too, so re-running a pipeline on its own
    /// output refreshes the added columns instead of duplicating them.
    @discardableResult
    public mutating func addColumn(_ name: String) -> ColumnIndex {
        if let existing = positions[name] { return ColumnIndex(existing) }
        columns.append(name)
        positions[name] = columns.count - 1
        return ColumnIndex(columns.count - 1)
    }
}
