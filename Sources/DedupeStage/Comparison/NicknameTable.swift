import Foundation

/// Given-name equivalence groups (Bob/Robert, Bill/William), loaded from `Resources/nicknames.tsv`.
///
/// A short form can belong to several groups ("Al" is Albert, Alan and Alexander), so two names
/// are equivalent when their group sets intersect.
public struct NicknameTable: Sendable {
    private let groupsByName: [String: [Int32]]
    /// Per group: a bit per first letter (a–z) of its names, so "R." is an initial of Bob (Robert's group).
    private let initialsByGroup: [UInt32]

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
        var initials: [UInt32] = []
        var group: Int32 = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let names = line.split(separator: ",").map { FoldedText.string(FoldedText.fold($0)) }.filter { !$0.isEmpty }
            guard names.count > 1 else { continue }
            for name in Set(names) { map[name, default: []].append(group) }
            initials.append(names.reduce(UInt32(0)) { $0 | Self.initialBit($1.utf8.first ?? 0) })
            group += 1
        }
        groupsByName = map
        initialsByGroup = initials
    }

    /// The groups a folded given name belongs to (sorted), empty when it is in none.
    public func groups(of name: String) -> [Int32] { groupsByName[name] ?? [] }

    /// The bit of a name's first letter (a–z; 0 for anything else).
    static func initialBit(_ byte: UInt8) -> UInt32 { byte >= 0x61 && byte <= 0x7A ? 1 << UInt32(byte - 0x61) : 0 }

    /// A bit per first letter of every name in `groups`.
    public func initials(of groups: [Int32]) -> UInt32 { groups.reduce(0) { $0 | initialsByGroup[Int($1)] } }

    /// Whether two given names are the same name in different forms ("bob", "robert").
    package func areEquivalent(_ a: String, _ b: String) -> Bool {
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
