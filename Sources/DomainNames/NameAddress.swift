/// RFC 5322 §3.4 `name-addr`: `[display-name] "<" addr-spec ">"`, as address fields of CRM exports
/// and mail clients write it (`Jane Doe <jane.doe@example.com>`).
///
/// Used by normalize and email_check alike, so both take the same address out of the same form.
public enum NameAddress {
    /// The address inside the angle brackets and the display name before them (empty when none), or
    /// `nil` when `text` (already trimmed) is not in that form: it must end with `>`, and the last `<`
    /// opens a bracket whose content has no other angle bracket and is not empty.
    public static func split(_ text: String) -> (address: Substring, displayName: Substring)? {
        guard text.utf8.last == UInt8(ascii: ">"), let open = text.lastIndex(of: "<") else { return nil }
        let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
        guard !inner.isEmpty, !inner.contains("<"), !inner.contains(">") else { return nil }
        var name = text[..<open]
        while let last = name.last, last == " " || last == "\t" { name.removeLast() }
        if name.count >= 2, name.first == "\"", name.last == "\"" {
            name = name.dropFirst().dropLast()
        } else if name.contains(where: { "<>@:;[]\\".contains($0) }) {
            return nil // RFC 5322 specials other than "." and "," only appear in a quoted display name: not this form
        }
        return (inner, name)
    }
}
