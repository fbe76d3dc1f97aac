/// The position of a column in a run's ``Schema``.
public struct ColumnIndex: Hashable, Sendable {
    public let position: Int
    public init(_ position: Int) { self.position = position }

    /// The positions of `columns` as one run, when each follows the one before (as when a stage adds them
    /// together): a stage then writes a row's values into them at once (``ColumnValues/write(into:run:reserving:)``).
    public static func adjacentRun(_ columns: [ColumnIndex]) -> Range<Int>? {
        guard let first = columns.first?.position,
              columns.indices.allSatisfy({ columns[$0].position == first + $0 }) else { return nil }
        return first..<(first + columns.count)
    }
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

    /// The index of an input column by name, where `Name#N` is the Nth input column named `Name` when the header
    /// repeats it (HubSpot's `E-Mail` for the contact and again for its company): the only way to map the later
    /// ones, since the name alone is the first. A column really called `Name#2` is found by its name first.
    public func index(ofInputColumn name: String) -> ColumnIndex? {
        if let index = index(of: name) { return index }
        guard let hash = name.lastIndex(of: "#"), let n = Int(name[name.index(after: hash)...]), n >= 1 else { return nil }
        let base = name[..<hash]
        var seen = 0
        for position in 0..<inputColumnCount where columns[position] == base {
            seen += 1
            if seen == n { return ColumnIndex(position) }
        }
        return nil
    }

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
