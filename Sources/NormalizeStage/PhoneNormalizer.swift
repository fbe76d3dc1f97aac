/// Phone numbers to E.164 (`+442079460958`): international numbers by their calling code, national
/// numbers with the row's (or the default) country, dropping the national trunk prefix.
///
/// Works on UTF-8 bytes: it runs for every row, and Character-level scanning costs ~1k instructions a character.
struct PhoneNormalizer: Sendable {
    enum Outcome: Equatable {
        case e164(String)
        /// Not a phone number, or the wrong length for its country.
        case invalid
        /// A national number and no country to read it with.
        case needsCountry
    }

    let table: CountryTable

    func normalize(_ raw: String, country: Country?) -> Outcome {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var sawPlus = false
        var sawDigit = false
        var bytes = Array(raw.utf8)
        // Extensions are not part of E.164: `x123`, `ext. 123`, `extension 123`, `#123`.
        if let cut = bytes.firstIndex(where: { Self.isASCIILetter($0) || $0 == UInt8(ascii: "#") }) {
            let tail = bytes[cut...].filter { !Self.isASCIILetter($0) && !Self.isExtensionPunctuation($0) }
            guard !tail.isEmpty, tail.allSatisfy(Self.isDigit) else { return .invalid }
            bytes.removeSubrange(cut...)
        }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if Self.isDigit(b) {
                digits.append(b)
                sawDigit = true
            } else if b == UInt8(ascii: "+") {
                guard !sawDigit && !sawPlus else { return .invalid }
                sawPlus = true
            } else if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 {
                i += 1  // no-break space
            } else if !Self.isPhonePunctuation(b) {
                return .invalid
            }
            i += 1
        }
        guard digits.count >= 6 else { return .invalid }
        var international = sawPlus
        if !international && digits.starts(with: [0x30, 0x30]) {
            digits.removeFirst(2)
            international = true
        } else if !international && digits.starts(with: [0x30, 0x31, 0x31]) && country?.callingCode == "1" {
            digits.removeFirst(3)
            international = true
        }
        if international { return fromInternational(digits) }
        guard let country else { return .needsCountry }
        var national = digits
        let trunk = Array(country.trunkPrefix.utf8)
        // A national number is usually written with its trunk prefix (`020 …` in the UK, `1 415 …` in the US).
        if !trunk.isEmpty, national.starts(with: trunk), fits(national.count - trunk.count, country) {
            national.removeFirst(trunk.count)
        }
        if fits(national.count, country) { return .e164("+" + country.callingCode + String(decoding: national, as: UTF8.self)) }
        // A number written with its calling code but without `+` (`44 20 7946 0958`).
        if national.starts(with: country.callingCode.utf8), case .e164(let e) = fromInternational(national) { return .e164(e) }
        return .invalid
    }

    private func fromInternational(_ digits: [UInt8]) -> Outcome {
        for length in 1...3 where digits.count > length {
            let code = String(decoding: digits[..<length], as: UTF8.self)
            let candidates = table.countries(callingCode: code)
            guard !candidates.isEmpty else { continue }
            var national = Array(digits[length...])
            // `+44 (0)20 …`: a trunk prefix kept in brackets after the calling code.
            if let trunk = candidates.first.map({ Array($0.trunkPrefix.utf8) }), !trunk.isEmpty, national.starts(with: trunk),
               !candidates.contains(where: { fits(national.count, $0) }),
               candidates.contains(where: { fits(national.count - trunk.count, $0) }) {
                national.removeFirst(trunk.count)
            }
            return candidates.contains(where: { fits(national.count, $0) })
                ? .e164("+" + code + String(decoding: national, as: UTF8.self)) : .invalid
        }
        return .invalid
    }

    private func fits(_ nationalLength: Int, _ country: Country) -> Bool {
        guard nationalLength + country.callingCode.utf8.count <= 15 else { return false }
        return country.numberLengths.isEmpty ? nationalLength >= 4 : country.numberLengths.contains(nationalLength)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Separators people type inside phone numbers: space, tab, `-`, `(`, `)`, `.`, `/`.
    static func isPhonePunctuation(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."), UInt8(ascii: "/"): true
        default: false
        }
    }

    static func isExtensionPunctuation(_ b: UInt8) -> Bool {
        b == 0x20 || b == UInt8(ascii: ".") || b == UInt8(ascii: "#") || b == UInt8(ascii: ":")
    }
    static func isASCIILetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
}
