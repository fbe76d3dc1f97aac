import DomainNames
import Foundation

/// A country of ISO 3166-1 with what phone normalization needs.
struct Country: Sendable {
    var alpha2: String
    var alpha3: String
    var name: String
    /// Country calling code without `+` (`44`).
    var callingCode: String
    /// The national trunk prefix dialled before a national number (`0` in the UK, `1` in the US), if any.
    var trunkPrefix: String
    /// Possible lengths of national significant numbers.
    var numberLengths: [Int]
    /// The country's position in its ``CountryTable``.
    var index: Int
}

/// ISO 3166-1 countries from `Resources/countries.tsv` (sources and licences in its header), looked up
/// by code, name or everyday alias (`USA`, `Deutschland`, `U.K.`), case and accents ignored.
final class CountryTable: @unchecked Sendable {
    let countries: [Country]
    private let byKey: [String: Int]
    private let byCallingCode: [String: [Int]]
    /// ``byKey`` over bytes, for ``Reader/index(ofKey:_:_:)``.
    private let keyTable: ByteStringTable
    /// What the per-row lookups read: plain pointers into storage this table owns (see ``Reader``).
    let reader: Reader

    static let shared: CountryTable = {
        guard let text = EmbeddedResources.text("countries.tsv") else {
            fatalError("countries.tsv is not among the NormalizeStage embedded resources")
        }
        return CountryTable(tsv: text)
    }()

    init(tsv: String) {
        var countries: [Country] = []
        var byKey: [String: Int] = [:]
        var byCallingCode: [String: [Int]] = [:]
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 6 else { continue }
            let index = countries.count
            countries.append(Country(alpha2: f[0], alpha3: f[1], name: f[2], callingCode: f[3], trunkPrefix: f[4],
                                     numberLengths: f[5].split(separator: ",").compactMap { Int($0) }, index: index))
            var keys = [f[0], f[1], f[2]]
            if f.count > 6 { keys += f[6].split(separator: "|").map(String.init) }
            for key in keys {
                let k = Self.key(key)
                // Codes and names keep the first country that claims them (GB before its islands).
                if byKey[k] == nil { byKey[k] = index }
            }
            if !f[3].isEmpty { byCallingCode[f[3], default: []].append(index) }
        }
        self.countries = countries
        self.byKey = byKey
        self.byCallingCode = byCallingCode
        keyTable = ByteStringTable(byKey.map { (Array($0.key.utf8), Int32($0.value)) })
        reader = Reader(countries: countries, byCallingCode: byCallingCode, keys: keyTable.reader)
    }

    deinit { reader.deallocate() }

    /// The country a value names: `us`, `USA`, `United States`, `Deutschland`, `U.K.`.
    func lookup(_ value: String) -> Country? {
        byKey[Self.key(value)].map { countries[$0] }
    }

    /// Countries sharing a calling code (`1` → US, CA and the rest of the NANP).
    func countries(callingCode: String) -> [Country] {
        (byCallingCode[callingCode] ?? []).map { countries[$0] }
    }

    /// Lower-case, accents folded, dots and extra spaces dropped: `U.S.A.` → `usa`, `España` → `espana`.
    static func key(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: ".") && $0 != 0x20 }) {
            return String(decoding: value.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return TextCleanup.foldedKey(value).filter { $0 != "." }.split(separator: " ").joined(separator: " ")
    }
}

extension CountryTable {
    /// The phone metadata of one country, as bytes and bit sets.
    struct PhoneRules {
        /// The calling code's digits (`44`) as a number, and how many digits it has.
        var callingCode: Int
        var callingCodeLength: Int
        /// The trunk prefix's ASCII digits, first digit in the lowest byte, and its length (0: none).
        var trunk: UInt64
        var trunkLength: Int
        /// Bit `n` is set when `n` is a possible national number length; `nil` when any length of 4 or more goes.
        var lengths: UInt64?

        /// Whether a national significant number of `length` digits fits the country's numbering plan.
        func fits(_ length: Int) -> Bool {
            guard length + callingCodeLength <= 15 else { return false }
            guard let lengths else { return length >= 4 }
            return length >= 0 && length < 64 && lengths & (1 << UInt64(length)) != 0
        }
    }

    /// The per-row side of the table: plain pointers, so workers on several cores read it without
    /// touching a shared reference count. Valid while its ``CountryTable`` lives (the shared one always does).
    struct Reader {
        let count: Int
        let alpha2: UnsafeMutablePointer<String>
        let phone: UnsafeMutablePointer<PhoneRules>
        /// Countries by calling code: `byCode[slot(code)]` holds (first, count) into `codeMembers`.
        let byCode: UnsafeMutablePointer<(first: Int32, count: Int32)>
        let codeMembers: UnsafeMutablePointer<Int32>
        let keys: ByteStringTable.Reader

        static let codeSlots = 4000

        /// Calling codes are 1–3 digits: the slot tells `1` from `001`.
        static func slot(code: Int, length: Int) -> Int { length * 1000 + code }

        init(countries: [Country], byCallingCode: [String: [Int]], keys: ByteStringTable.Reader) {
            count = countries.count
            self.keys = keys
            alpha2 = .allocate(capacity: max(1, countries.count))
            alpha2.initialize(from: countries.map(\.alpha2), count: countries.count)
            phone = .allocate(capacity: max(1, countries.count))
            for (i, country) in countries.enumerated() {
                var trunk: UInt64 = 0
                for (k, b) in country.trunkPrefix.utf8.prefix(8).enumerated() { trunk |= UInt64(b) << UInt64(8 * k) }
                var lengths: UInt64 = 0
                for n in country.numberLengths {
                    precondition(n >= 0 && n < 64, "countries.tsv: national number length \(n) out of range")
                    lengths |= 1 << UInt64(n)
                }
                precondition(country.trunkPrefix.utf8.count <= 8 && country.callingCode.utf8.count <= 3,
                             "countries.tsv: calling code or trunk prefix too long for \(country.alpha2)")
                (phone + i).initialize(to: PhoneRules(
                    callingCode: Int(country.callingCode) ?? 0, callingCodeLength: country.callingCode.utf8.count,
                    trunk: trunk, trunkLength: country.trunkPrefix.utf8.count,
                    lengths: country.numberLengths.isEmpty ? nil : lengths))
            }
            byCode = .allocate(capacity: Self.codeSlots)
            byCode.initialize(repeating: (0, 0), count: Self.codeSlots)
            let members = byCallingCode.values.reduce(0) { $0 + $1.count }
            codeMembers = .allocate(capacity: max(1, members))
            var next = 0
            for (code, indices) in byCallingCode {
                guard let value = Int(code), code.utf8.count <= 3, code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { continue }
                byCode[Self.slot(code: value, length: code.utf8.count)] = (Int32(next), Int32(indices.count))
                for index in indices {
                    codeMembers[next] = Int32(index)
                    next += 1
                }
            }
        }

        func deallocate() {
            alpha2.deinitialize(count: count)
            alpha2.deallocate()
            phone.deallocate()
            byCode.deallocate()
            codeMembers.deallocate()
        }

        /// The index of the country whose ``CountryTable/key(_:)`` is `start..<end` of `base`.
        func index(ofKey base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
            keys.value(base, start, end).map(Int.init)
        }

        /// The countries sharing a calling code, in table order, as a range of ``codeMembers``.
        func countries(callingCode: Int, length: Int) -> (first: Int, count: Int) {
            let entry = byCode[Self.slot(code: callingCode, length: length)]
            return (Int(entry.first), Int(entry.count))
        }
    }

    /// The country index an all-ASCII value names, computing ``key(_:)`` on the bytes; `nil` when the
    /// value is not ASCII (callers use ``lookup(_:)`` for those).
    func asciiLookup(_ bytes: UnsafeBufferPointer<UInt8>, reader: Reader) -> Int?? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count)) { key -> Int?? in
            // `key(_:)` for ASCII: lower case, dots dropped, runs of spaces to one, no space at either end.
            var n = 0
            var pendingSpace = false
            for b in bytes {
                if b >= 0x80 { return .none }
                if b == UInt8(ascii: ".") { continue }
                if b == 0x20 {
                    pendingSpace = n > 0
                    continue
                }
                if pendingSpace {
                    key[n] = 0x20
                    n += 1
                    pendingSpace = false
                }
                key[n] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                n += 1
            }
            return .some(reader.index(ofKey: UnsafePointer(key.baseAddress!), 0, n))
        }
    }
}
