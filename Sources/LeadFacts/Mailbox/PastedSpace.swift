/// What a spreadsheet or a web page leaves around a pasted address: Unicode white space (NBSP, U+202F) and the
/// invisible characters that are not white space to Unicode (a zero-width space, word joiner or byte order mark).
///
/// normalize and email_check trim it from both ends by this one rule; inside an address it stays, for email_check
/// to reject as `unsafe_unicode`.
public enum PastedSpace {
    /// Whether `scalar` is pasted space.
    public static func contains(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "\u{200B}" || scalar == "\u{2060}" || scalar == "\u{FEFF}"
    }

    /// `text` without pasted space at either end.
    public static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, contains(scalars[start]) { start = scalars.index(after: start) }
        while end > start, contains(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return start == scalars.startIndex && end == scalars.endIndex ? text : String(scalars[start..<end])
    }
}
