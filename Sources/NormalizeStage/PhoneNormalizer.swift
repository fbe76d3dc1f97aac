/// Phone numbers to E.164 (`+442079460958`): international numbers by their calling code, national
/// numbers with the row's (or the default) country, dropping the national trunk prefix.
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
        var text = Substring(raw)
        // Extensions are not part of E.164: `x123`, `ext. 123`, `extension 123`, `#123`.
        if let cut = text.firstIndex(where: { $0.isLetter || $0 == "#" }) {
            let tail = text[cut...].lowercased()
            let rest = tail.replacingOccurrences(of: "extension", with: "").replacingOccurrences(of: "ext", with: "")
                .filter { !"x.#: ".contains($0) }
            guard !rest.isEmpty, rest.allSatisfy(\.isASCIIDigitCharacter) else { return .invalid }
            text = text[..<cut]
        }
        guard text.allSatisfy({ $0.isNumber || " +-().\u{00A0}/".contains($0) }) else { return .invalid }
        let trimmed = text.drop { $0 == " " }
        var digits = String(trimmed.filter(\.isASCIIDigitCharacter))
        guard digits.count >= 6 else { return .invalid }
        var international = trimmed.first == "+"
        if !international && digits.hasPrefix("00") {
            digits.removeFirst(2)
            international = true
        } else if !international && digits.hasPrefix("011") && country?.callingCode == "1" {
            digits.removeFirst(3)
            international = true
        }
        if international { return fromInternational(digits) }
        guard let country else { return .needsCountry }
        var national = digits
        // A national number is usually written with its trunk prefix (`020 …` in the UK, `1 415 …` in the US).
        if !country.trunkPrefix.isEmpty, national.hasPrefix(country.trunkPrefix),
           fits(String(national.dropFirst(country.trunkPrefix.count)), country) {
            national.removeFirst(country.trunkPrefix.count)
        }
        if fits(national, country) { return .e164("+" + country.callingCode + national) }
        // A number written with its calling code but without `+` (`44 20 7946 0958`).
        if national.hasPrefix(country.callingCode), case .e164(let e) = fromInternational(national) { return .e164(e) }
        return .invalid
    }

    private func fromInternational(_ digits: String) -> Outcome {
        for length in 1...3 where digits.count > length {
            let code = String(digits.prefix(length))
            let candidates = table.countries(callingCode: code)
            guard !candidates.isEmpty else { continue }
            var national = String(digits.dropFirst(length))
            // `+44 (0)20 …`: a trunk prefix kept in brackets after the calling code.
            if let trunk = candidates.first?.trunkPrefix, !trunk.isEmpty, national.hasPrefix(trunk),
               !candidates.contains(where: { fits(national, $0) }),
               candidates.contains(where: { fits(String(national.dropFirst(trunk.count)), $0) }) {
                national.removeFirst(trunk.count)
            }
            return candidates.contains(where: { fits(national, $0) }) ? .e164("+" + code + national) : .invalid
        }
        return .invalid
    }

    private func fits(_ national: String, _ country: Country) -> Bool {
        guard national.count + country.callingCode.count <= 15 else { return false }
        return country.numberLengths.isEmpty ? national.count >= 4 : country.numberLengths.contains(national.count)
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}

import Foundation
