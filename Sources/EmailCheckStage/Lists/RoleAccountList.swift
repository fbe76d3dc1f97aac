import LeadFacts

/// Local parts that name a role or a department rather than a person (`info`, `sales`, `noreply`).
///
/// Matched case-insensitively on the local part without its `+tag`, so `Sales+leads@` is a role account.
public struct RoleAccountList: Sendable, Equatable {
    /// The listed local parts, lower-cased.
    public private(set) var names: Set<String>

    /// A list of the given local parts.
    public init(_ names: some Sequence<String> = [String]()) { self.names = Set(names.map { $0.lowercased() }) }

    /// Reads a list file: one local part per line, `#` starts a comment.
    public init(text: String) { self.init(ListFile.entries(in: text)) }

    /// The shipped list every stage shares (``RoleMailboxes``).
    public static func bundled() -> RoleAccountList { RoleAccountList(RoleMailboxes.shipped) }

    /// Adds local parts.
    public mutating func add(_ entries: some Sequence<String>) { names.formUnion(entries.map { $0.lowercased() }) }
    /// Removes local parts, so a pipeline can take one off the shipped list.
    public mutating func remove(_ entries: some Sequence<String>) { names.subtract(entries.map { $0.lowercased() }) }

    /// Whether a local part (its content, unquoted) is a role account.
    public func contains(localPart: String) -> Bool {
        var name = Substring(localPart)
        if let plus = localPart.utf8.firstIndex(of: UInt8(ascii: "+")) { name = localPart[..<plus] }
        return names.contains(name.lowercased())
    }
}
