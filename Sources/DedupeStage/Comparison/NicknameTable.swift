import Foundation

/// Given-name equivalence groups (Bob/Robert, Bill/William), loaded from `Resources/nicknames.tsv`.
///
/// A short form can belong to several groups ("Al" is Albert, Alan and Alexander), so two names
/// are equivalent when their group sets intersect.
public struct NicknameTable: Sendable {
    private let groupsByName: [String: [Int32]]

    /// The table shipped with the stage.
    public static let shared: NicknameTable = {
        guard let text = EmbeddedResources.text("nicknames.tsv") else {
            fatalError("nicknames.tsv is not among the DedupeStage embedded resources")
        }
        return NicknameTable(text: text)
    }()

    /// Parses the file format: one comma-separated group per line, `#` comments.
    public init(text: String) {
        var map: [String: [Int32]] = [:]
        var group: Int32 = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let names = line.split(separator: ",").map { FoldedText.string(FoldedText.fold($0)) }.filter { !$0.isEmpty }
            guard names.count > 1 else { continue }
            for name in Set(names) { map[name, default: []].append(group) }
            group += 1
        }
        groupsByName = map
    }

    /// The groups a folded given name belongs to (sorted), empty when it is in none.
    public func groups(of name: String) -> [Int32] { groupsByName[name] ?? [] }

    /// Whether two given names are the same name in different forms ("bob", "robert").
    public func areEquivalent(_ a: String, _ b: String) -> Bool {
        let ga = groups(of: FoldedText.string(FoldedText.fold(a)))
        let gb = groups(of: FoldedText.string(FoldedText.fold(b)))
        return Self.intersect(ga, gb)
    }

    /// Whether two sorted group lists share a group.
    static func intersect(_ a: [Int32], _ b: [Int32]) -> Bool {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { return true }
            if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return false
    }
}
