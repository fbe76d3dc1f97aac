import Foundation

/// The entries of a list file: one per line, `#` starts a comment, blank lines ignored. Every stage's
/// shipped lists are read this way (email_check's too).
public enum ListText {
    /// The entries of a text, trimmed, in file order.
    public static func entries(in text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
    }

    /// The lower-cased entries of one of LeadFacts' shipped lists.
    static func entries(_ name: String) -> [String] {
        guard let text = EmbeddedResources.text(name) else {
            fatalError("\(name) is not among LeadFacts' embedded resources (run make resources)")
        }
        return entries(in: text).map { $0.lowercased() }
    }
}
