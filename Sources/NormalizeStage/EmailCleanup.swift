import DomainNames
import Foundation
import LeadFacts
import LeadRecords

/// The email column's normalization: cleaned, without `mailto:` or angle brackets, lower-cased; and
/// the company domain an address names (`jane@shop.acme.co.uk` → `acme.co.uk`, free-mail providers excepted).
enum EmailCleanup {
    /// The normalized address. ASCII values go through their bytes, and an address that is already
    /// normalized comes back as the same string, without building a new one.
    static func normalize(_ raw: String) -> String {
        // RFC 5322 name-addr (`Jane Doe <jane@x.com>`): the address email_check takes out of the same form.
        if raw.utf8.contains(UInt8(ascii: "<")), let form = NameAddress.split(TextCleanup.clean(raw)), !form.displayName.isEmpty {
            return normalize(String(form.address))
        }
        let fast: String?? = TextCleanup.withCleanedBytes(raw) { bytes, unchanged -> String?? in
            var start = 0, end = bytes.count
            var upper = false
            for b in bytes {
                if b >= 0x80 { return .none }
                if b >= 0x41 && b <= 0x5A { upper = true }
            }
            if end >= 7, isMailto(bytes) { start = 7 }
            if end - start >= 2, bytes[start] == UInt8(ascii: "<"), bytes[end - 1] == UInt8(ascii: ">") {
                start += 1
                end -= 1
            }
            if unchanged && !upper && start == 0 && end == bytes.count { return .some(nil) }
            return .some(String(unsafeUninitializedCapacity: end - start) { out in
                for i in start..<end {
                    let b = bytes[i]
                    out[i - start] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                }
                return end - start
            })
        }
        switch fast {
        case .some(.none): return raw
        case .some(.some(let email)): return email
        case .none: return unicodeNormalize(raw)
        }
    }

    /// Appends ``normalize(_:)`` of the text `raw` when it works on bytes (ASCII without `<`); `false`,
    /// with nothing appended, when it takes the `String` routine.
    static func appendASCII(_ raw: UnsafeBufferPointer<UInt8>, to values: ColumnValues) -> Bool {
        if let base = raw.baseAddress, memchr(base, Int32(UInt8(ascii: "<")), raw.count) != nil { return false }
        return TextCleanup.withCleanedASCII(raw) { bytes -> Bool in
            var start = 0, end = bytes.count
            if end >= 7, isMailto(bytes) { start = 7 }
            if end - start >= 2, bytes[start] == UInt8(ascii: "<"), bytes[end - 1] == UInt8(ascii: ">") {
                start += 1
                end -= 1
            }
            values.append(upTo: end - start) { out in
                let count = end - start
                guard count > 0, let source = bytes.baseAddress else { return 0 }
                let from = source + start
                for i in 0..<count {
                    let b = from[i]
                    out[i] = b &- 0x41 < 26 ? b | 0x20 : b
                }
                return count
            }
            return true
        } ?? false
    }

    /// `mailto:` in any case.
    private static func isMailto(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        return lower(bytes[0]) == UInt8(ascii: "m") && lower(bytes[1]) == UInt8(ascii: "a") && lower(bytes[2]) == UInt8(ascii: "i")
            && lower(bytes[3]) == UInt8(ascii: "l") && lower(bytes[4]) == UInt8(ascii: "t") && lower(bytes[5]) == UInt8(ascii: "o")
            && bytes[6] == UInt8(ascii: ":")
    }

    /// The normalization on `String`s, for addresses with non-ASCII characters.
    static func unicodeNormalize(_ raw: String) -> String {
        var email = TextCleanup.clean(raw)
        // A byte order mark or zero-width space pasted in front of or after an address is no part of it
        // (email_check trims them too); inside it they stay, for email_check to reject.
        email = PastedSpace.trimmed(email)
        if email.lowercased().hasPrefix("mailto:") { email.removeFirst(7) }
        if email.hasPrefix("<") && email.hasSuffix(">") { email = String(email.dropFirst().dropLast()) }
        return email.lowercased()
    }

    /// Where ``companyDomain(_:psl:freeMail:)`` finds an address's company domain, on its bytes.
    enum DomainInAddress: Equatable {
        /// No company domain: no `@`, no valid host, a public suffix, or a free-mail provider.
        case none
        /// The registrable domain, as a range of the address's bytes.
        case range(Range<Int>)
        /// Not plain lower-case ASCII: the `String` routine decides.
        case needsString
    }

    /// ``companyDomain(_:psl:freeMail:)`` on the bytes of a normalized address.
    static func companyDomainRange(_ bytes: UnsafeBufferPointer<UInt8>, psl: PublicSuffixList.Matcher,
                                   freeMail: ByteStringTable.Reader) -> DomainInAddress {
        guard let base = bytes.baseAddress else { return .none }
        var at = -1
        for (i, b) in bytes.enumerated() {
            if b >= 0x80 { return .needsString }
            if b == UInt8(ascii: "@") { at = i }
        }
        guard at >= 0 else { return .none }
        // HostName.asciiForm on what follows the `@`: one trailing dot dropped, labels of 1–63 octets, 253 in all.
        var end = bytes.count
        let start = at + 1
        if end > start && base[end - 1] == UInt8(ascii: ".") { end -= 1 }
        guard end > start, end - start <= 253 else { return .none }
        var labelLength = 0
        var hasUpper = false
        for k in start..<end {
            let b = base[k]
            if b == UInt8(ascii: ".") {
                guard labelLength > 0 else { return .none }
                labelLength = 0
            } else {
                labelLength += 1
                guard labelLength <= 63 else { return .none }
                if b >= 0x41 && b <= 0x5A { hasUpper = true }
            }
        }
        guard labelLength > 0 else { return .none }
        // A normalized address is lower case already; anything else takes the String path.
        guard !hasUpper else { return .needsString }
        guard let range = psl.registrableDomain(base, start, end),
              freeMail.value(base, range.lowerBound, range.upperBound) == nil else { return .none }
        return .range(range)
    }

    /// The registrable domain of a normalized address's host, or `""` when it has none or it is a free-mail provider.
    static func companyDomain(_ email: String, psl: PublicSuffixList.Matcher, freeMail: ByteStringTable.Reader) -> String {
        var copy = email
        let fast: String? = copy.withUTF8 { bytes -> String? in
            switch companyDomainRange(bytes, psl: psl, freeMail: freeMail) {
            case .none: return ""
            case .range(let range): return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            case .needsString: return nil
            }
        }
        if let fast { return fast }
        if let at = email.lastIndex(of: "@"),
           let host = HostName.asciiForm(String(email[email.index(after: at)...])),
           let registrable = PublicSuffixList.shared.registrableDomain(of: host),
           !NormalizeStage.freeMailDomains.contains(registrable) {
            return registrable
        }
        return ""
    }
}
