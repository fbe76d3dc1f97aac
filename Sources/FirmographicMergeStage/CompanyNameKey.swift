import Foundation

/// The comparable form of a company name, and how alike two such forms are.
///
/// `"ACME Corp."`, `"Acme Corporation"` and `"Acmé, Inc"` all become `acme`: case and accents are
/// folded, punctuation dropped, `&` read as `and`, and legal-form words removed wherever they stand.
public enum CompanyNameKey {
    /// Legal-form and filler words that say nothing about which company it is.
    static let legalForms: Set<String> = [
        "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "plc", "gmbh",
        "ag", "sa", "sas", "sarl", "bv", "nv", "srl", "spa", "pty", "pvt", "oy", "ab", "kk", "lp", "llp", "the",
        "holding", "holdings", "group",
    ]

    /// The normalized key, or the empty string when nothing distinctive is left.
    public static func key(_ name: String) -> String {
        if let key = asciiKey(name) { return key }
        // Folding is costly and does nothing to ASCII beyond lower-casing.
        let folded = name.utf8.allSatisfy({ $0 < 0x80 }) ? name.lowercased()
            : name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty, !legalForms.contains(current) { words.append(current) }
            current = ""
        }
        for scalar in folded.unicodeScalars {
            if scalar == "&" || scalar == "+" {
                flush()
                words.append("and")
            } else if scalar == "'" || scalar == "’" || scalar == "." {
                continue // "O'Reilly" and "A.B.C." read as one word
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return words.joined(separator: " ")
    }

    /// ``key(_:)`` for an ASCII name, on its bytes: the same rules (letters and digits make words,
    /// `&` and `+` read as `and`, `'` and `.` join, anything else separates), without Unicode
    /// property lookups or a string per word. `nil` when the name is not ASCII.
    static func asciiKey(_ name: String) -> String? {
        var name = name
        return name.withUTF8 { bytes -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 4)
            var word: [UInt8] = []
            word.reserveCapacity(16)
            func append(_ text: some Collection<UInt8>) {
                if !out.isEmpty { out.append(0x20) }
                out.append(contentsOf: text)
            }
            func flush() {
                guard !word.isEmpty else { return }
                // Legal forms are at most 12 letters ("incorporated").
                if word.count > 12 || !legalForms.contains(String(decoding: word, as: UTF8.self)) { append(word) }
                word.removeAll(keepingCapacity: true)
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte | 0x20)
                case UInt8(ascii: "'"), UInt8(ascii: "."): continue
                case UInt8(ascii: "&"), UInt8(ascii: "+"):
                    flush()
                    append("and".utf8)
                case 0x80...: return nil
                default: flush()
                }
            }
            flush()
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Jaro–Winkler similarity in [0, 1] (Winkler 1990: prefix scale 0.1, prefix up to 4 characters).
    public static func similarity(_ a: String, _ b: String) -> Double {
        let s = Array(a.utf8), t = Array(b.utf8)
        if s.isEmpty || t.isEmpty { return s.isEmpty && t.isEmpty ? 1 : 0 }
        if s == t { return 1 }
        let window = max(0, max(s.count, t.count) / 2 - 1)
        var sMatched = [Bool](repeating: false, count: s.count)
        var tMatched = [Bool](repeating: false, count: t.count)
        var matches = 0
        for i in 0..<s.count {
            let lo = max(0, i - window), hi = min(t.count - 1, i + window)
            guard lo <= hi else { continue }
            for j in lo...hi where !tMatched[j] && s[i] == t[j] {
                sMatched[i] = true
                tMatched[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<s.count where sMatched[i] {
            while !tMatched[j] { j += 1 }
            if s[i] != t[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(s.count) + m / Double(t.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, s.count, t.count), s[prefix] == t[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }
}
