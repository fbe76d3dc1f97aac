/// The entries of a shipped list file: one per line, `#` starts a comment, blanks ignored, lower-cased.
enum ListText {
    static func entries(_ name: String) -> [String] {
        guard let text = EmbeddedResources.text(name) else {
            fatalError("\(name) is not among LeadFacts' embedded resources (run make resources)")
        }
        return entries(in: text)
    }

    static func entries(in text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = entry.trimmingCharacters(in: .whitespaces).lowercased()
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}

import Foundation
