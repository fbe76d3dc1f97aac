import DomainNames
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks that a string is an RFC 5321 `Mailbox` (with the RFC 6531 UTF-8 extensions), byte by byte.
///
/// What is accepted, and why:
/// - Local part: a Dot-string of atext (RFC 5321 §4.1.2), where RFC 6531 §3.3 adds any non-ASCII
///   UTF-8 character to atext; or a Quoted-string whose content is qtextSMTP (ASCII 32–126 but `"` and
///   `\`, plus UTF-8) and quoted-pairSMTP (`\` then ASCII 32–126). At most 64 octets (§4.5.3.1.1).
/// - Domain: dot-separated labels of letters, digits and inner hyphens (§4.1.2 sub-domain), at least two
///   labels, a top-level label that is not all digits (RFC 3696 §2); Unicode labels (RFC 6531 U-labels) are
///   converted to A-labels with ``HostName/asciiForm(_:)`` and must then fit 63 octets per label and 253 in
///   all. Address literals (`[192.0.2.1]`, `[IPv6:2001:db8::1]`, §4.1.3) only when allowed.
/// - At most 254 octets in all: the 256-octet path limit (§4.5.3.1.3) minus the angle brackets.
///
/// What is refused although RFC 5322 `addr-spec` allows it: comments and folding white space (CFWS) and
/// the obsolete forms (`"a"."b"@x`, `a . b@x`), because SMTP (RFC 5321) carries none of them and a
/// mailbox written that way cannot be given to a mail server as is. Invisible and white-space Unicode
/// characters (NBSP, zero-width space) are refused too, as their ASCII counterparts are.
public struct EmailSyntaxChecker: Sendable {
    /// Whether bracketed IP address literals are accepted as the domain.
    public var allowAddressLiteral: Bool

    /// - Parameter allowAddressLiteral: accept bracketed IP address domains.
    public init(allowAddressLiteral: Bool = false) {
        self.allowAddressLiteral = allowAddressLiteral
    }

    /// Parses and normalizes an address.
    public func parse(_ address: String) -> Result<MailboxAddress, SyntaxProblem> {
        var address = address
        return address.withUTF8 { bytes in
            switch scan(bytes) {
            case .failure(let problem):
                return .failure(problem)
            case .success(let scan):
                let local = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<scan.at]), as: UTF8.self)
                let domainBytes = UnsafeBufferPointer(rebasing: bytes[(scan.at + 1)...])
                let domain = String(decoding: domainBytes, as: UTF8.self)
                var content = scan.isQuoted ? Self.unquote(UnsafeBufferPointer(rebasing: bytes[1..<(scan.at - 1)])) : local
                if scan.localHasNonASCII { content = content.precomposedStringWithCanonicalMapping }
                let asciiDomain: String
                if scan.isAddressLiteral {
                    asciiDomain = domain.lowercased().hasPrefix("[ipv6:") ? "[IPv6:" + domain.dropFirst(6).lowercased() : domain
                } else if let converted = scan.asciiDomain {
                    asciiDomain = converted
                } else if domainBytes.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
                    asciiDomain = domain.lowercased()
                } else {
                    asciiDomain = domain
                }
                return .success(MailboxAddress(localPartAsWritten: local, localContent: content, isQuoted: scan.isQuoted,
                                               domainAsWritten: domain, asciiDomain: asciiDomain,
                                               isAddressLiteral: scan.isAddressLiteral))
            }
        }
    }

    /// Checks an address without building its parts: `nil` when valid, else the first rule it breaks.
    ///
    /// Allocation-free for ASCII addresses; this is the path the throughput benchmark measures.
    public func problem(in address: String) -> SyntaxProblem? {
        var address = address
        switch address.withUTF8({ scan($0) }) {
        case .success: return nil
        case .failure(let problem): return problem
        }
    }

    /// Where the parts of a valid address are.
    struct Scan {
        /// Offset of the `@` separating local part and domain.
        var at: Int
        var isQuoted: Bool
        var localHasNonASCII: Bool
        var isAddressLiteral: Bool
        /// The A-label form, computed only for internationalized domains.
        var asciiDomain: String?
    }

    func scan(_ p: UnsafeBufferPointer<UInt8>) -> Result<Scan, SyntaxProblem> {
        let n = p.count
        guard n > 0 else { return .failure(.empty) }
        let table = CharacterClass.bytes
        return table.withUnsafeBufferPointer { table in
            let atextMask = CharacterClass.atextMask
            var i = 0
            var localHasNonASCII = false
            let isQuoted = p[0] == UInt8(ascii: "\"")

            // MARK: local part
            if isQuoted {
                // RFC 5321 Quoted-string = DQUOTE *QcontentSMTP DQUOTE
                i = 1
                while true {
                    guard i < n else { return .failure(.unterminatedQuote) }
                    let c = p[i]
                    if c == UInt8(ascii: "\"") { i += 1; break }
                    if c == UInt8(ascii: "\\") {
                        // quoted-pairSMTP = %d92 %d32-126
                        guard i + 1 < n else { return .failure(.unterminatedQuote) }
                        let escaped = p[i + 1]
                        guard escaped >= 32 && escaped <= 126 else { return .failure(.invalidQuotedPair) }
                        i += 2
                        continue
                    }
                    if c >= 0x80 {
                        localHasNonASCII = true
                    } else if c < 32 || c == 127 {
                        // qtextSMTP excludes controls and HTAB; RFC 5322's FWS inside quotes does not exist in SMTP.
                        return .failure(.invalidQuotedCharacter)
                    }
                    i += 1
                }
                guard i < n else { return .failure(.missingAt) }
                switch p[i] {
                case UInt8(ascii: "@"): break
                case UInt8(ascii: "("): return .failure(.comment)
                case UInt8(ascii: " "), UInt8(ascii: "\t"): return .failure(.whitespace)
                default: return .failure(.textAfterQuotedString)
                }
            } else {
                // RFC 5321 Dot-string = Atom *("." Atom)
                var previousWasDot = false
                while i < n {
                    let c = p[i]
                    if c == UInt8(ascii: "@") { break }
                    if c == UInt8(ascii: ".") {
                        if i == 0 { return .failure(.leadingDot) }
                        if previousWasDot { return .failure(.consecutiveDots) }
                        previousWasDot = true
                        i += 1
                        continue
                    }
                    if c >= 0x80 {
                        localHasNonASCII = true
                    } else if table[Int(c)] & atextMask == 0 {
                        switch c {
                        case UInt8(ascii: "("), UInt8(ascii: ")"): return .failure(.comment)
                        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                            return .failure(.whitespace)
                        default: return .failure(.invalidLocalCharacter)
                        }
                    }
                    previousWasDot = false
                    i += 1
                }
                guard i < n else { return .failure(.missingAt) }
                if i == 0 { return .failure(.emptyLocalPart) }
                if previousWasDot { return .failure(.trailingDot) }
            }
            let at = i
            // RFC 5321 §4.5.3.1.1: 64 octets, quotes included.
            if at > 64 { return .failure(.localPartTooLong) }
            if localHasNonASCII, let problem = Self.unsafeUnicode(in: UnsafeBufferPointer(rebasing: p[0..<at])) {
                return .failure(problem)
            }

            // MARK: domain
            let start = at + 1
            guard start < n else { return .failure(.emptyDomain) }
            let domainBytes = UnsafeBufferPointer(rebasing: p[start..<n])
            if domainBytes[0] == UInt8(ascii: "[") {
                guard Self.isAddressLiteral(domainBytes) else { return .failure(.invalidAddressLiteral) }
                guard allowAddressLiteral else { return .failure(.addressLiteralNotAllowed) }
                guard n <= 254 else { return .failure(.addressTooLong) }
                return .success(Scan(at: at, isQuoted: isQuoted, localHasNonASCII: localHasNonASCII,
                                     isAddressLiteral: true, asciiDomain: nil))
            }
            switch Self.checkHostName(domainBytes, table: table) {
            case .failure(let problem):
                return .failure(problem)
            case .success(let hasNonASCII):
                if !hasNonASCII {
                    guard n <= 254 else { return .failure(.addressTooLong) }
                    return .success(Scan(at: at, isQuoted: isQuoted, localHasNonASCII: localHasNonASCII,
                                         isAddressLiteral: false, asciiDomain: nil))
                }
                // RFC 6531 §3.3: U-labels are allowed; lookups and length limits use the A-label form.
                let unicodeDomain = String(decoding: domainBytes, as: UTF8.self)
                if let problem = Self.idnCharacterProblem(unicodeDomain) { return .failure(problem) }
                guard let ascii = HostName.asciiForm(unicodeDomain) else { return .failure(Self.idnProblem(unicodeDomain)) }
                var asciiCopy = ascii
                let recheck = asciiCopy.withUTF8 { Self.checkHostName($0, table: table) }
                if case .failure(let problem) = recheck { return .failure(problem == .invalidDomainCharacter ? .invalidIDN : problem) }
                guard n <= 254, at + 1 + ascii.utf8.count <= 254 else { return .failure(.addressTooLong) }
                return .success(Scan(at: at, isQuoted: isQuoted, localHasNonASCII: localHasNonASCII,
                                     isAddressLiteral: false, asciiDomain: ascii))
            }
        }
    }

    /// Checks the label structure of a host name; non-ASCII bytes are passed over and reported.
    /// - Returns: whether the name has non-ASCII bytes (and so needs IDNA conversion and a re-check).
    static func checkHostName(_ d: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<UInt8>) -> Result<Bool, SyntaxProblem> {
        let ldhMask = CharacterClass.ldhMask
        let n = d.count
        var hasNonASCII = false
        var labelStart = 0
        var labelCount = 0
        var labelAllDigits = true
        var labelHasNonASCII = false
        var labelAllLetters = true
        var labelIsALabel = false
        var j = 0
        while j <= n {
            if j == n || d[j] == UInt8(ascii: ".") {
                let length = j - labelStart
                if length == 0 { return .failure(.emptyLabel) }
                if !labelHasNonASCII {
                    if length > 63 { return .failure(.labelTooLong) }
                    if d[labelStart] == UInt8(ascii: "-") || d[j - 1] == UInt8(ascii: "-") { return .failure(.hyphenAtLabelEdge) }
                    // RFC 5891 §4.2.3.1: "--" in the third and fourth positions is reserved for A-labels ("xn--").
                    if length >= 4, d[labelStart + 2] == UInt8(ascii: "-"), d[labelStart + 3] == UInt8(ascii: "-") {
                        guard d[labelStart] | 0x20 == UInt8(ascii: "x"), d[labelStart + 1] | 0x20 == UInt8(ascii: "n") else {
                            return .failure(.reservedLabelHyphens)
                        }
                        guard isPunycodeLabel(UnsafeBufferPointer(rebasing: d[(labelStart + 4)..<j])) else { return .failure(.invalidIDN) }
                        labelIsALabel = true
                    }
                }
                labelCount += 1
                if j == n { break }
                labelStart = j + 1
                labelAllDigits = true
                labelAllLetters = true
                labelIsALabel = false
                labelHasNonASCII = false
                j += 1
                continue
            }
            let c = d[j]
            if c >= 0x80 {
                hasNonASCII = true
                labelHasNonASCII = true
                labelAllDigits = false
            } else if table[Int(c)] & ldhMask == 0 {
                switch c {
                case UInt8(ascii: "("), UInt8(ascii: ")"): return .failure(.comment)
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): return .failure(.whitespace)
                default: return .failure(.invalidDomainCharacter)
                }
            } else if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") {
                labelAllDigits = false
                if c == UInt8(ascii: "-") { labelAllLetters = false }
            } else {
                labelAllLetters = false
            }
            j += 1
        }
        if !hasNonASCII {
            // RFC 1035: 255 octets on the wire is 253 in text without the final dot.
            if n > 253 { return .failure(.domainTooLong) }
            if labelCount < 2 { return .failure(.dotlessDomain) }
            if labelAllDigits { return .failure(.numericTopLevelDomain) }
            // RFC 1123 §2.1 and the root zone's rules: a top-level label is letters only, or an A-label.
            if !labelAllLetters && !labelIsALabel { return .failure(.invalidTopLevelDomain) }
        }
        return .success(hasNonASCII)
    }

    /// Why a Unicode domain has no A-label form: a label or the whole name too long once encoded, or bad Punycode input.
    static func idnProblem(_ domain: String) -> SyntaxProblem {
        let labels = domain.precomposedStringWithCanonicalMapping.lowercased()
            .split(omittingEmptySubsequences: false, whereSeparator: { ".\u{3002}\u{FF0E}\u{FF61}".contains($0) })
        var total = labels.count - 1
        for label in labels {
            let length = label.utf8.allSatisfy({ $0 < 0x80 }) ? label.utf8.count
                : Punycode.encode(String(label)).map { $0.utf8.count + 4 } ?? 0
            if length > 63 { return .labelTooLong }
            total += length
        }
        return total > 253 ? .domainTooLong : .invalidIDN
    }

    /// Whether an `xn--` label's remainder decodes as Punycode (RFC 3492).
    static func isPunycodeLabel(_ rest: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !rest.isEmpty else { return false }
        // RFC 5891 §5.4: an A-label must decode to a U-label that encodes back to the same A-label, and a
        // U-label holds at least one non-ASCII character (otherwise the label would be written plainly).
        let encoded = String(decoding: rest, as: UTF8.self).lowercased()
        guard let decoded = Punycode.decode(encoded), decoded.unicodeScalars.contains(where: { $0.value >= 0x80 }),
              Punycode.encode(decoded) == encoded else { return false }
        return idnCharacterProblem(decoded) == nil
    }

    /// Refuses Unicode white space, controls and invisible format characters in a local part.
    static func unsafeUnicode(in bytes: UnsafeBufferPointer<UInt8>) -> SyntaxProblem? {
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars where scalar.value >= 0x80 {
            if isUnsafe(scalar) { return .unsafeUnicode }
        }
        return nil
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\u{FFFD}" { return true } // a replacement character means the input was not valid UTF-8
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
            return true
        default:
            return false
        }
    }

    /// IDNA2008 (RFC 5892) in short: U-labels hold letters, combining marks and digits; symbols,
    /// punctuation and emoji are DISALLOWED. The ideographic full stops count as dots (UTS #46).
    static func idnCharacterProblem(_ domain: String) -> SyntaxProblem? {
        for scalar in domain.unicodeScalars where scalar.value >= 0x80 {
            if "\u{3002}\u{FF0E}\u{FF61}".unicodeScalars.contains(scalar) { continue }
            if isUnsafe(scalar) { return .unsafeUnicode }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
                continue
            default:
                return .invalidDomainCharacter
            }
        }
        return nil
    }

    /// RFC 5321 §4.1.3: `[` IPv4-address-literal / "IPv6:" IPv6-addr `]`. General-address-literal tags
    /// must be registered with IANA, and IPv6 is the only one, so other tags are refused.
    static func isAddressLiteral(_ d: UnsafeBufferPointer<UInt8>) -> Bool {
        guard d.count >= 3, d[d.count - 1] == UInt8(ascii: "]") else { return false }
        let inner = String(decoding: UnsafeBufferPointer(rebasing: d[1..<(d.count - 1)]), as: UTF8.self)
        if inner.count > 5, inner.prefix(5).lowercased() == "ipv6:" {
            let address = String(inner.dropFirst(5))
            guard address.utf8.allSatisfy({ $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || ($0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit) }) else {
                return false
            }
            var storage = in6_addr()
            return inet_pton(AF_INET6, address, &storage) == 1
        }
        // Snum = 1*3DIGIT with a value of 0–255; exactly four of them.
        let parts = inner.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            (1...3).contains(part.utf8.count) && part.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                && Int(part)! <= 255
        }
    }

    /// The content of a quoted local part: escapes resolved (`\"` → `"`).
    static func unquote(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaped = false
        for byte in bytes {
            if !escaped && byte == UInt8(ascii: "\\") { escaped = true; continue }
            escaped = false
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
