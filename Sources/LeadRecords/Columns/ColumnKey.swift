/// The type of a column's values, as `leadhygiene stages`, the docs and `lint` name it.
public enum ColumnType: Sendable, Hashable, CustomStringConvertible {
    /// Free text.
    case text
    /// A decimal number (`0.73`).
    case number
    /// A whole number.
    case integer
    /// `yes` or `no`.
    case flag
    /// One of a closed set of words.
    case choice([String])
    /// Reason codes separated by `;` (`decay_age;decay_title_changed`).
    case codes

    public var description: String {
        switch self {
        case .text: "text"
        case .number: "number"
        case .integer: "integer"
        case .flag: "yes/no"
        case .choice(let values): values.joined(separator: "|")
        case .codes: "reason codes"
        }
    }
}

/// A value a column holds, with the one codec between it and the row's text.
public protocol ColumnValue: Sendable {
    static var columnType: ColumnType { get }
    /// The value a cell's text holds; `nil` for an empty cell or text that is not such a value.
    init?(columnText: String)
    /// The text written to the cell.
    var columnText: String { get }
}

/// A column that one stage writes and others read, named and typed once (``LeadColumns``).
///
/// Rows stay strings on the wire; the key is what a stage reads and writes through, so `decay` reads
/// `email_status` as an ``EmailStatus``, never as a string literal email_check happens to write.
public struct ColumnKey<Value: ColumnValue>: Sendable {
    public let name: String

    public init(_ name: String) { self.name = name }

    /// The name and type, for descriptors and lint.
    public var spec: ColumnSpec { ColumnSpec(name, Value.columnType) }

    /// The column's index in a schema, once bound.
    public func bound(in schema: Schema) -> BoundColumn<Value>? {
        schema.index(of: name).map { BoundColumn(key: self, index: $0) }
    }
}

/// A ``ColumnKey`` found in the run's schema: reads and writes one row's cell.
public struct BoundColumn<Value: ColumnValue>: Sendable {
    public let key: ColumnKey<Value>
    public let index: ColumnIndex

    /// The row's value; `nil` when the cell is empty or not such a value.
    @inlinable public func read(_ record: Record) -> Value? { Value(columnText: record[index]) }
}

extension Optional {
    /// The value of a column the schema may lack: `nil` when the column is absent or the cell empty.
    @inlinable public func read<Value>(_ record: Record) -> Value? where Wrapped == BoundColumn<Value> {
        self?.read(record)
    }
}

/// A column's name and type, as a stage declares what it produces and consumes.
public struct ColumnSpec: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let type: ColumnType

    public init(_ name: String, _ type: ColumnType) {
        self.name = name
        self.type = type
    }

    public var description: String { "\(name) (\(type))" }
}

// MARK: Codecs

extension String: ColumnValue {
    public static var columnType: ColumnType { .text }
    public init?(columnText: String) {
        guard !columnText.isEmpty else { return nil }
        self = columnText
    }
    public var columnText: String { self }
}

extension Double: ColumnValue {
    public static var columnType: ColumnType { .number }
    public init?(columnText: String) { self.init(columnText) }
    public var columnText: String { String(self) }
}

extension Int: ColumnValue {
    public static var columnType: ColumnType { .integer }
    public init?(columnText: String) { self.init(columnText) }
    public var columnText: String { String(self) }
}

extension Bool: ColumnValue {
    public static var columnType: ColumnType { .flag }
    public init?(columnText: String) {
        switch columnText {
        case "yes": self = true
        case "no": self = false
        default: return nil
        }
    }
    public var columnText: String { self ? "yes" : "no" }
}

/// The codec of an enum whose raw values are the words written to its column.
extension ColumnValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    public static var columnType: ColumnType { .choice(allCases.map(\.rawValue)) }
    public init?(columnText: String) { self.init(rawValue: columnText) }
    public var columnText: String { rawValue }
}

extension EmailStatus: ColumnValue {}
extension WebStatus: ColumnValue {}
extension DecayStatus: ColumnValue {}

/// The reason codes of a cell (`;`-separated), as codes rather than text.
public struct ReasonCodeList: ColumnValue, Hashable {
    public var codes: [String]

    public init(_ codes: [String]) { self.codes = codes }

    public static var columnType: ColumnType { .codes }
    public init?(columnText: String) {
        guard !columnText.isEmpty else { return nil }
        codes = columnText.split(separator: ";").map(String.init)
    }
    public var columnText: String { codes.joined(separator: ";") }

    /// Whether the cell holds `code`.
    public func contains(_ code: ReasonCode) -> Bool { codes.contains(code.code) }
}
