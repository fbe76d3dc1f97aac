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
        bytes.removeFirst(Self.telPrefixLength(bytes.count) { bytes[$0] })
        // Extensions are not part of E.164: `x123`, `ext. 123`, `extension 123`, `#123`.
        if let cut = bytes.firstIndex(where: { Self.isASCIILetter($0) || $0 == UInt8(ascii: "#") }) {
            let tail = bytes[cut...].filter { !Self.isASCIILetter($0) && !Self.isExtensionPunctuation($0) }
            guard !tail.isEmpty, tail.allSatisfy(Self.isDigit) else { return .invalid }
            bytes.removeSubrange(cut...)
        }
        var i = 0
        var bracketedZero: Int?
        while i < bytes.count {
            var b = bytes[i]
            if !Self.isDigit(b), b != UInt8(ascii: "+"), let (ascii, width) = Self.fullwidthForm(bytes.count, i, { bytes[$0] }) {
                b = ascii
                i += width - 1
            }
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
            } else if b == UInt8(ascii: "("), i + 2 < bytes.count, bytes[i + 1] == 0x30, bytes[i + 2] == UInt8(ascii: ")") {
                bracketedZero = digits.count
            }
            i += 1
        }
        guard digits.count >= 6 else { return .invalid }
        var international = sawPlus
        if !international && digits.starts(with: [0x30, 0x30]) {
            digits.removeFirst(2)
            bracketedZero = bracketedZero.map { $0 - 2 }
            international = true
        } else if !international && digits.starts(with: [0x30, 0x31, 0x31]) && country?.callingCode == "1" {
            digits.removeFirst(3)
            bracketedZero = bracketedZero.map { $0 - 3 }
            international = true
        }
        if international { return fromInternational(digits, bracketedZero: bracketedZero) }
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

    private func fromInternational(_ digits: [UInt8], bracketedZero: Int? = nil) -> Outcome {
        for length in 1...3 where digits.count > length {
            let code = String(decoding: digits[..<length], as: UTF8.self)
            let candidates = table.countries(callingCode: code)
            guard !candidates.isEmpty else { continue }
            var national = Array(digits[length...])
            // `+44 (0)20 …`: a trunk prefix kept in brackets after the calling code. Written as `(0)` it is one
            // whatever the length; otherwise only when the number does not fit with it.
            if let trunk = candidates.first.map({ Array($0.trunkPrefix.utf8) }), !trunk.isEmpty, national.starts(with: trunk),
               bracketedZero == length && trunk == [0x30] || !candidates.contains(where: { fits(national.count, $0) }),
               candidates.contains(where: { fits(national.count - trunk.count, $0) }) {
                national.removeFirst(trunk.count)
            }
            return candidates.contains(where: { fits(national.count, $0) })
                ? .e164("+" + code + String(decoding: national, as: UTF8.self)) : .invalid
        }
        return .invalid
    }

    /// ``normalize(_:country:)`` on the value's bytes, with the country as its index in the table:
    /// no array or string is built except the E.164 result.
    func normalize(_ bytes: UnsafeBufferPointer<UInt8>, country: Int?, reader: CountryTable.Reader) -> Outcome {
        var end = bytes.count
        let start = Self.telPrefixLength(end) { bytes[$0] }
        // Extensions are not part of E.164: `x123`, `ext. 123`, `extension 123`, `#123`.
        var cut = start
        while cut < end, !Self.isASCIILetter(bytes[cut]), bytes[cut] != UInt8(ascii: "#") { cut += 1 }
        if cut < end {
            var extensionDigits = false
            for k in cut..<end {
                let b = bytes[k]
                if Self.isASCIILetter(b) || Self.isExtensionPunctuation(b) { continue }
                guard Self.isDigit(b) else { return .invalid }
                extensionDigits = true
            }
            guard extensionDigits else { return .invalid }
            end = cut
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, end)) { buffer -> Outcome in
            let digits = UnsafePointer(buffer.baseAddress!)
            var count = 0
            var sawPlus = false
            var sawDigit = false
            var bracketedZero = -1
            var i = start
            while i < end {
                var b = bytes[i]
                if b >= 0x80, let (ascii, width) = Self.fullwidthForm(end, i, { bytes[$0] }) {
                    b = ascii
                    i += width - 1
                }
                if Self.isDigit(b) {
                    buffer[count] = b
                    count += 1
                    sawDigit = true
                } else if b == UInt8(ascii: "+") {
                    guard !sawDigit && !sawPlus else { return .invalid }
                    sawPlus = true
                } else if b == 0xC2, i + 1 < end, bytes[i + 1] == 0xA0 {
                    i += 1  // no-break space
                } else if !Self.isPhonePunctuation(b) {
                    return .invalid
                } else if b == UInt8(ascii: "("), i + 2 < end, bytes[i + 1] == 0x30, bytes[i + 2] == UInt8(ascii: ")") {
                    bracketedZero = count
                }
                i += 1
            }
            guard count >= 6 else { return .invalid }
            let rules = country.map { reader.phone[$0] }
            if !sawPlus && digits[0] == 0x30 && digits[1] == 0x30 {
                return fromInternational(digits + 2, count - 2, reader, bracketedZero: bracketedZero - 2)
            }
            if !sawPlus && count >= 3 && digits[0] == 0x30 && digits[1] == 0x31 && digits[2] == 0x31,
               let rules, rules.callingCodeLength == 1 && rules.callingCode == 1 {
                return fromInternational(digits + 3, count - 3, reader, bracketedZero: bracketedZero - 3)
            }
            if sawPlus { return fromInternational(digits, count, reader, bracketedZero: bracketedZero) }
            guard let rules else { return .needsCountry }
            var national = digits
            var length = count
            // A national number is usually written with its trunk prefix (`020 …` in the UK, `1 415 …` in the US).
            if rules.trunkLength > 0, Self.starts(national, length, with: rules.trunk, rules.trunkLength),
               rules.fits(length - rules.trunkLength) {
                national += rules.trunkLength
                length -= rules.trunkLength
            }
            if rules.fits(length) {
                return .e164(Self.e164(code: rules.callingCode, codeLength: rules.callingCodeLength, national, length))
            }
            // A number written with its calling code but without `+` (`44 20 7946 0958`).
            if Self.starts(national, length, withCode: rules.callingCode, rules.callingCodeLength),
               case .e164(let e) = fromInternational(national, length, reader) {
                return .e164(e)
            }
            return .invalid
        }
    }

    private func fromInternational(_ digits: UnsafePointer<UInt8>, _ count: Int, _ reader: CountryTable.Reader,
                                   bracketedZero: Int = -1) -> Outcome {
        var code = 0
        for length in 1...3 where count > length {
            code = code * 10 + Int(digits[length - 1] &- 0x30)
            let candidates = reader.countries(callingCode: code, length: length)
            guard candidates.count > 0 else { continue }
            let members = reader.codeMembers + candidates.first
            func anyFits(_ n: Int) -> Bool {
                for k in 0..<candidates.count where reader.phone[Int(members[k])].fits(n) { return true }
                return false
            }
            var national = digits + length
            var nationalLength = count - length
            // `+44 (0)20 …`: a trunk prefix kept in brackets after the calling code.
            let first = reader.phone[Int(members[0])]
            let writtenAsBracketedTrunk = bracketedZero == length && first.trunkLength == 1 && first.trunk == 0x30
            if first.trunkLength > 0, Self.starts(national, nationalLength, with: first.trunk, first.trunkLength),
               writtenAsBracketedTrunk || !anyFits(nationalLength), anyFits(nationalLength - first.trunkLength) {
                national += first.trunkLength
                nationalLength -= first.trunkLength
            }
            return anyFits(nationalLength)
                ? .e164(Self.e164(code: code, codeLength: length, national, nationalLength)) : .invalid
        }
        return .invalid
    }

    /// `+`, the calling code's digits, then the national number's.
    static func e164(code: Int, codeLength: Int, _ national: UnsafePointer<UInt8>, _ length: Int) -> String {
        String(unsafeUninitializedCapacity: 1 + codeLength + length) { out in
            out[0] = UInt8(ascii: "+")
            var code = code
            var k = codeLength
            while k > 0 {
                out[k] = 0x30 + UInt8(code % 10)
                code /= 10
                k -= 1
            }
            for j in 0..<length { out[1 + codeLength + j] = national[j] }
            return 1 + codeLength + length
        }
    }

    /// Whether the digits start with the prefix packed in `prefix` (first byte lowest).
    static func starts(_ digits: UnsafePointer<UInt8>, _ count: Int, with prefix: UInt64, _ prefixLength: Int) -> Bool {
        guard count >= prefixLength else { return false }
        for k in 0..<prefixLength where digits[k] != UInt8(truncatingIfNeeded: prefix >> UInt64(8 * k)) { return false }
        return true
    }

    /// Whether the digits start with a calling code's digits (an empty code is a prefix of everything).
    static func starts(_ digits: UnsafePointer<UInt8>, _ count: Int, withCode code: Int, _ codeLength: Int) -> Bool {
        guard count >= codeLength else { return false }
        var code = code
        var k = codeLength
        while k > 0 {
            k -= 1
            guard digits[k] == 0x30 + UInt8(code % 10) else { return false }
            code /= 10
        }
        return true
    }

    private func fits(_ nationalLength: Int, _ country: Country) -> Bool {
        guard nationalLength + country.callingCode.utf8.count <= 15 else { return false }
        return country.numberLengths.isEmpty ? nationalLength >= 4 : country.numberLengths.contains(nationalLength)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The ASCII a fullwidth form at `i` stands for (`０`–`９`, `＋`, `（`, `－`…, U+FF01–U+FF3F, as Japanese
    /// and Chinese input methods type them) and its byte count, or a space for U+3000.
    @inline(__always)
    static func fullwidthForm(_ end: Int, _ i: Int, _ byte: (Int) -> UInt8) -> (ascii: UInt8, width: Int)? {
        guard i + 2 < end else { return nil }
        let b0 = byte(i), b1 = byte(i + 1), b2 = byte(i + 2)
        if b0 == 0xEF && b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF { return (b2 - 0x60, 3) }
        if b0 == 0xE3 && b1 == 0x80 && b2 == 0x80 { return (0x20, 3) }
        return nil
    }

    /// The length of a `tel:` URI scheme at the start (RFC 3966), as web forms and CRMs store a clicked number.
    static func telPrefixLength(_ count: Int, _ byte: (Int) -> UInt8) -> Int {
        guard count > 4, byte(0) | 0x20 == UInt8(ascii: "t"), byte(1) | 0x20 == UInt8(ascii: "e"), byte(2) | 0x20 == UInt8(ascii: "l"),
              byte(3) == UInt8(ascii: ":") else { return 0 }
        return 4
    }

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
