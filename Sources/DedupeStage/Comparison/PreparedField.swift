import LeadFacts

/// One compared field over the whole list, ready for millions of pair comparisons.
///
/// Every distinct value is folded once and given an id; rows hold ids, so "same value" is an
/// integer test and term frequencies are counts per id. Comparator-specific facts (an email's
/// local part and domain, a name's nickname groups) are also computed once per distinct value.
public final class PreparedField: Sendable {
    /// Sentinel level for "one side is missing": it carries no evidence either way.
    package static let nullLevel: UInt8 = 15

    public let kind: ComparatorKind
    /// Per row: the value id, or -1 when the value is missing.
    public let ids: [Int32]
    /// The number of distinct values.
    package let valueCount: Int
    /// Per value id: how many rows hold it (for term-frequency adjustments).
    public let counts: [Int32]
    /// Per value id: the email's local-part id, otherwise unused.
    let localIDs: [Int32]
    /// Per value id: the email's domain id, otherwise unused.
    let domainIDs: [Int32]
    /// Per value id: whether the email is at a consumer provider.
    let personal: [Bool]
    /// Per value id: nickname groups of a given name.
    let nicknameGroups: [[Int32]]
    /// Per value id of a name: a bit per letter it may be abbreviated to (its own first letter and those of its
    /// nickname group: Bob may be written "R.").
    let initialMasks: [UInt32]
    /// All keys end to end, for the comparison hot path (no per-value array retains across threads).
    private let bytes: [UInt8]
    /// Per value id: where its key starts in ``bytes``; one extra entry marks the end.
    private let starts: [Int32]
    /// Per value id: which byte values (mod 64) occur, for a cheap upper bound on Jaro similarity.
    private let byteMasks: [UInt64]
    /// Per value id: its words, for the word-overlap level of names, companies and free text.
    private let tokens: ValueTokens
    /// Rows with a value.
    package let nonNullCount: Int

    /// Folds and interns `values` (one per row).
    public convenience init(kind: ComparatorKind, values: [String], nicknames: NicknameTable = .shared, companyKey: CompanyKey = .standard) {
        self.init(kind: kind, rowCount: values.count, nicknames: nicknames, companyKey: companyKey) { values[$0] }
    }

    /// Folds and interns the values of `rowCount` rows, read one at a time from `value`, so the column
    /// never has to be gathered into an array first.
    ///
    /// - Parameter wholeList: the whole list's counts, for a slice of it (a distributed run's task): each value's
    ///   count and the rows with a value are then the whole list's, so term frequencies weigh as on one machine.
    public init(kind: ComparatorKind, rowCount: Int, nicknames: NicknameTable = .shared, companyKey: CompanyKey = .standard,
                wholeList: (counts: [String: Int32], nonNull: Int)? = nil, value: (Int) -> String) {
        self.kind = kind
        // Emails and phones are nearly all distinct: caching raw text first would only add a lookup.
        let cachesRaw = kind != .email && kind != .phone
        var rawIDs: [String: Int32] = [:]
        var table = ByteStringInterner(expectedCount: cachesRaw ? 1024 : rowCount, expectedBytes: cachesRaw ? 0 : rowCount * 16)
        var ids = [Int32](repeating: -1, count: rowCount)
        var counts: [Int32] = []
        var nonNull = 0
        for row in 0..<rowCount {
            let raw = value(row)
            if raw.isEmpty { continue }
            let id: Int32
            if cachesRaw, let cached = rawIDs[raw] {
                id = cached
            } else {
                let key = kind.key(of: raw, companyKey: companyKey)
                if key.isEmpty {
                    id = -1
                } else {
                    let interned = table.intern(key)
                    id = interned.id
                    if interned.isNew { counts.append(0) }
                }
                if cachesRaw { rawIDs[raw] = id }
            }
            ids[row] = id
            if id >= 0 { counts[Int(id)] += 1; nonNull += 1 }
        }
        rawIDs = [:]
        self.ids = ids
        if let wholeList {
            self.counts = (0..<table.count).map { wholeList.counts[Hex.string(table.key($0))] ?? 1 }
            self.nonNullCount = wholeList.nonNull
        } else {
            self.counts = counts
            self.nonNullCount = nonNull
        }
        var localIDs: [Int32] = [], domainIDs: [Int32] = [], personal: [Bool] = [], nicknameGroups: [[Int32]] = []
        var initialMasks: [UInt32] = []
        switch kind {
        case .email:
            var locals = ByteStringInterner(expectedCount: table.count, expectedBytes: table.bytes.count)
            var domains = ByteStringInterner()
            var personalDomain: [Bool] = []
            localIDs.reserveCapacity(table.count)
            domainIDs.reserveCapacity(table.count)
            personal.reserveCapacity(table.count)
            table.bytes.withUnsafeBufferPointer { all in
                for id in 0..<table.count {
                    let start = Int(table.starts[id]), end = Int(table.starts[id + 1])
                    let key = UnsafeBufferPointer(rebasing: all[start..<end])
                    let at = key.lastIndex(of: 0x40)!
                    let l = locals.intern(UnsafeBufferPointer(rebasing: key[..<at])).id
                    let domain = domains.intern(UnsafeBufferPointer(rebasing: key[(at + 1)...]))
                    if domain.isNew {
                        personalDomain.append(FreeMailDomains.covers(String(decoding: key[(at + 1)...], as: UTF8.self)))
                    }
                    localIDs.append(l)
                    domainIDs.append(domain.id)
                    personal.append(personalDomain[Int(domain.id)])
                }
            }
        case .name:
            nicknameGroups = (0..<table.count).map { nicknames.groups(of: FoldedText.string(Array(table.key($0)))) }
            initialMasks = (0..<table.count).map { id in
                NicknameTable.initialBit(table.key(id).first ?? 0) | nicknames.initials(of: nicknameGroups[id])
            }
        default:
            break
        }
        self.localIDs = localIDs
        self.domainIDs = domainIDs
        self.personal = personal
        self.nicknameGroups = nicknameGroups
        self.initialMasks = initialMasks
        let storage = table.storage()
        valueCount = storage.starts.count - 1
        bytes = storage.bytes
        starts = storage.starts
        switch kind {
        case .name, .string, .company, .address:
            tokens = ValueTokens(bytes: storage.bytes, keyStarts: storage.starts, valueCount: valueCount)
        default:
            tokens = ValueTokens()
        }
        byteMasks = (0..<valueCount).map { id in
            storage.bytes[Int(storage.starts[id])..<Int(storage.starts[id + 1])].reduce(UInt64(0)) { $0 | (1 << UInt64($1 & 63)) }
        }
    }

    /// The agreement level of two value ids (``nullLevel`` when either is missing).
    @inline(__always)
    public func level(_ a: Int32, _ b: Int32) -> UInt8 {
        if a < 0 || b < 0 { return Self.nullLevel }
        if a == b { return kind.exactLevel }
        return levelOfDifferent(Int(a), Int(b))
    }

    /// The folded comparison key of value `id`.
    public func key(_ id: Int) -> ArraySlice<UInt8> { bytes[Int(starts[id])..<Int(starts[id + 1])] }

    /// Whether two rows' values show the same employer: the same work mailbox or two mailboxes at one work domain
    /// (for an email field), or an exact agreement (for any other field).
    func showsSameEmployer(rows a: Int, _ b: Int, level: UInt8) -> Bool {
        if kind == .email {
            if level == 2 { return true }
            return level == kind.exactLevel && !personal[Int(ids[a])]
        }
        return level == kind.exactLevel
    }

    /// The level of two rows.
    @inline(__always)
    public func level(rows a: Int, _ b: Int) -> UInt8 { level(ids[a], ids[b]) }

    private func levelOfDifferent(_ a: Int, _ b: Int) -> UInt8 {
        bytes.withUnsafeBufferPointer { all in
            starts.withUnsafeBufferPointer { starts in
                let ka = UnsafeBufferPointer(rebasing: all[Int(starts[a])..<Int(starts[a + 1])])
                let kb = UnsafeBufferPointer(rebasing: all[Int(starts[b])..<Int(starts[b + 1])])
                return levelOfDifferent(a, b, ka, kb)
            }
        }
    }

    /// An upper bound on Jaro–Winkler similarity from the bytes the two keys share, to skip the full
    /// computation for the many pairs (most random pairs) that cannot reach a level.
    @inline(__always)
    private func jaroWinklerBound(_ a: Int, _ b: Int, _ ka: UnsafeBufferPointer<UInt8>, _ kb: UnsafeBufferPointer<UInt8>) -> Double {
        let ma = byteMasks[a], mb = byteMasks[b]
        var inB = 0, inA = 0
        for byte in ka where mb & (1 << UInt64(byte & 63)) != 0 { inB += 1 }
        for byte in kb where ma & (1 << UInt64(byte & 63)) != 0 { inA += 1 }
        let m = Double(min(inA, inB))
        if m == 0 { return 0 }
        let jaro = (m / Double(ka.count) + m / Double(kb.count) + 1) / 3
        return ka[0] == kb[0] ? jaro + 0.4 * (1 - jaro) : jaro
    }

    @inline(__always)
    private func levelOfDifferent(_ a: Int, _ b: Int, _ ka: UnsafeBufferPointer<UInt8>, _ kb: UnsafeBufferPointer<UInt8>) -> UInt8 {
        switch kind {
        case .exact, .domain:
            return 0
        case .name:
            if NicknameTable.intersect(nicknameGroups[a], nicknameGroups[b]) { return 3 }
            // An initial agrees with the names it may abbreviate ("R." with Robert, and with Bob through Robert).
            if ka.count == 1 { return initialMasks[b] & NicknameTable.initialBit(ka[0]) != 0 ? 1 : 0 }
            if kb.count == 1 { return initialMasks[a] & NicknameTable.initialBit(kb[0]) != 0 ? 1 : 0 }
            let bound = jaroWinklerBound(a, b, ka, kb)
            let jw = bound < 0.88 ? bound : JaroWinkler.similarity(ka, kb)
            if jw >= 0.94 { return 4 }
            // "R" against "Robert": an initial agrees with the name it abbreviates.
            if (ka.count == 1 || kb.count == 1) && ka[0] == kb[0] { return 1 }
            if jw >= 0.88 { return 2 }
            // Compound names: "garcia lopez" against "garcia".
            if ka.count > 2 && kb.count > 2 && ((ka.contains(0x20) || kb.contains(0x20))) && tokens.jaccard(a, b) >= 0.5 { return 2 }
            return 0
        case .string, .company, .address:
            if EditDistance.withinOne(ka, kb) { return 2 }
            if jaroWinklerBound(a, b, ka, kb) >= 0.9 && JaroWinkler.similarity(ka, kb) >= 0.9 { return 1 }
            if ((ka.contains(0x20) || kb.contains(0x20))) && tokens.jaccard(a, b) >= 0.5 { return 1 }
            return 0
        case .email:
            // The local part alone is no evidence: it is mostly the name again, compared on its own.
            if domainIDs[a] == domainIDs[b] { return personal[a] ? 0 : 2 }
            if personal[a] != personal[b] { return 1 }
            return 0
        case .phone:
            return EditDistance.withinOne(ka, kb) ? 1 : 0
        case .date:
            if EditDistance.withinOne(ka, kb) { return 2 }
            if ka.count >= 4, kb.count >= 4, ka[0..<4].elementsEqual(kb[0..<4]) { return 1 }
            return 0
        case .numeric:
            guard let x = Double(String(decoding: ka, as: UTF8.self)), let y = Double(String(decoding: kb, as: UTF8.self)) else { return 0 }
            let scale = max(abs(x), abs(y))
            if scale == 0 { return 3 }
            let relative = abs(x - y) / scale
            if relative <= 0.01 { return 2 }
            if relative <= 0.10 { return 1 }
            return 0
        }
    }
}
