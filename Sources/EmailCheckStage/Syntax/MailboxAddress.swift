import Foundation

/// An address that passed ``EmailSyntaxChecker``: an RFC 5321 `Mailbox`, split and normalized.
public struct MailboxAddress: Sendable, Equatable {
    /// The local part exactly as written, with its quotes and escapes when quoted.
    package var localPartAsWritten: String
    /// The local part's content: quotes removed, escapes resolved, NFC.
    package var localContent: String
    /// Whether the local part was written as a quoted string.
    package var isQuoted: Bool
    /// The domain exactly as written (a U-label domain stays in Unicode).
    package var domainAsWritten: String
    /// The domain for lookups: lower-case ASCII with A-labels, or the bracketed literal for address literals.
    public var asciiDomain: String
    /// Whether the domain is a bracketed IP address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`).
    package var isAddressLiteral: Bool

    /// Whether the local part has non-ASCII characters, so delivery needs SMTPUTF8 (RFC 6531).
    package var needsSMTPUTF8: Bool { localContent.utf8.contains { $0 >= 0x80 } }

    /// The local part in its shortest correct form: bare when its content is a valid Dot-string,
    /// otherwise quoted with only `"` and `\` escaped (RFC 5321 §4.1.2 recommends the unquoted form).
    package var normalizedLocalPart: String {
        if Self.isDotString(localContent) { return localContent }
        var quoted = "\""
        for scalar in localContent.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { quoted.unicodeScalars.append("\\") }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }

    /// The deliverable address in normal form: the local part's case is kept (RFC 5321 §2.4 leaves it
    /// to the receiving host), the domain is lower-case ASCII with A-labels.
    public var normalized: String { normalizedLocalPart + "@" + asciiDomain }

    /// Whether `text` is a non-empty RFC 5321 Dot-string (RFC 6531 atext, which includes UTF-8).
    static func isDotString(_ text: String) -> Bool {
        var previousWasDot = true
        var count = 0
        for byte in text.utf8 {
            count += 1
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else {
                guard byte >= 0x80 || CharacterClass.isAtext(byte) else { return false }
                previousWasDot = false
            }
        }
        return count > 0 && !previousWasDot
    }
}
