import Foundation

/// Case, accents and width folded the one way every stage folds them, so "Zoë", "ZOE" and "Zoe" meet.
public enum TextFolding {
    /// Letters that are not a base letter plus a mark (ø, æ, ß, ł) have no decomposition, so folding
    /// would keep them; they are spelled out first.
    public static let spelledOut: [Unicode.Scalar: String] = [
        "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ł": "l", "Ł": "l",
        "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ð": "d", "ı": "i",
    ]

    /// Lower case without accents; ASCII text is only lower-cased (folding does nothing more to it, at a cost).
    public static func fold(_ text: some StringProtocol) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        var spelled = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let replacement = spelledOut[scalar] { spelled.append(contentsOf: replacement.unicodeScalars) } else { spelled.append(scalar) }
        }
        return String(spelled).folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
    }

    /// The folded words of `text`: its runs of letters and digits (`Legitimate interest – prospect/lead` →
    /// legitimate, interest, prospect, lead), as score's `matches_any` and compliance's consent values read them.
    public static func words(_ text: some StringProtocol) -> [String] {
        fold(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}
