import DomainNames
import Foundation
import LeadFacts
import LeadIO
import PipelineSpec

/// A CRM accounts export (Salesforce `Account ID, Account Name, Website, Account Owner`), indexed by
/// registrable domain and by the run's company key, to find the account a lead belongs to.
///
/// Several accounts on one key are usual in real exports (the same company entered twice, a parent and
/// a subsidiary sharing a website). The tie-breakers, in order:
/// 1. among accounts on the lead's domain, those whose name has the lead's company key;
/// 2. among those left, the ones with an owner;
/// 3. if the accounts left all have the same owner, the one with the smallest id (any of them routes
///    the lead to the same rep); otherwise the match is `ambiguous` and no owner is taken, because
///    handing the lead to one of two owners at random is exactly the "why did I get this lead?" case.
public struct AccountBook: Sendable {
    public struct Account: Sendable, Equatable {
        public var id: String
        public var name: String
        public var owner: String
        var nameKey: String
    }

    /// How a lead met its account.
    public enum Match: String, Sendable, CaseIterable {
        case domain, name, ambiguous, none

        /// The position in `allCases`, for counting without a dictionary.
        var slot: Int {
            switch self {
            case .domain: 0
            case .name: 1
            case .ambiguous: 2
            case .none: 3
            }
        }
    }

    public let accounts: [Account]
    /// The accounts' registrable domains and company keys, numbered once so a lead's (cached) number
    /// finds its candidates in an array: `domainAccounts[domainNumbers[domain]]`.
    let domainNumbers: [String: Int32]
    let domainAccounts: [[Int32]]
    let nameKeyNumbers: [String: Int32]
    let nameKeyAccounts: [[Int32]]
    /// Each account's company key number, `nil` when its name has no key.
    let accountNameKeys: [Int32?]
    /// The tie-breakers' answer for every domain several accounts share, worked out once: the lead's
    /// company key only matters when it is one of those accounts' keys.
    let domainPicks: [Picks?]
    /// The tie-breakers' answer for the accounts of each company key.
    let namePicks: [Int?]

    /// Which of several accounts a lead gets (``pick(_:nameKey:accounts:nameKeys:)``): `byNameKey` for a
    /// lead whose company key is one of theirs, else `otherwise`.
    struct Picks: Sendable {
        let otherwise: Int?
        let byNameKey: [(key: Int32, account: Int?)]
    }
    public let rowsRead: Int
    public let rowsSkipped: Int

    /// Loads the accounts file, naming its columns as the pipeline does.
    public init(path: String, idColumn: String, domainColumn: String, nameColumn: String, ownerColumn: String,
                companyKey: CompanyKey) throws(OptionProblem) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw OptionProblem(option: "accounts", "accounts file '\(path)' does not exist")
        }
        var accounts: [Account] = []
        var byDomain: [String: [Int32]] = [:]
        var byNameKey: [String: [Int32]] = [:]
        var read = 0, skipped = 0
        do {
            let reader = try RecordReader(path: path, format: RecordFormat.resolve(name: "auto", path: path, delimiter: nil))
            let header = reader.columns
            func position(_ name: String, _ option: String) throws(OptionProblem) -> Int {
                guard let found = header.firstIndex(of: name) ?? header.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
                    throw OptionProblem(option: "accounts", "accounts file '\(path)' has no column '\(name)' (accounts.\(option))"
                                        + NearestName.hint(for: name, among: header))
                }
                return found
            }
            let id = try position(idColumn, "id"), domain = try position(domainColumn, "domain")
            let name = try position(nameColumn, "name"), owner = try position(ownerColumn, "owner")
            let parser = RecordParser(format: reader.format, columns: header)
            while let raw = try reader.nextChunk() {
                for record in parser.parse(raw, width: header.count).records {
                    read += 1
                    let values = record.fields
                    let accountID = values[id].trimmingCharacters(in: .whitespaces)
                    guard record.isActive, !accountID.isEmpty else {
                        skipped += 1
                        continue
                    }
                    let account = Account(id: accountID, name: values[name].trimmingCharacters(in: .whitespaces),
                                          owner: values[owner].trimmingCharacters(in: .whitespaces),
                                          nameKey: companyKey.distinctiveKey(values[name]) ?? "")
                    let number = Int32(accounts.count)
                    accounts.append(account)
                    if let registrable = Self.registrableDomain(ofWebsite: values[domain]) { byDomain[registrable, default: []].append(number) }
                    if !account.nameKey.isEmpty { byNameKey[account.nameKey, default: []].append(number) }
                }
            }
        } catch let problem as OptionProblem {
            throw problem
        } catch {
            throw OptionProblem(option: "accounts", "accounts file '\(path)': \(error)")
        }
        self.accounts = accounts
        (domainNumbers, domainAccounts) = Self.numbered(byDomain)
        (nameKeyNumbers, nameKeyAccounts) = Self.numbered(byNameKey)
        let nameKeys = accounts.map { [nameKeyNumbers] account in nameKeyNumbers[account.nameKey] }
        accountNameKeys = nameKeys
        domainPicks = domainAccounts.map { candidates in
            guard candidates.count > 1 else { return nil }
            var keys: [Int32] = []
            for account in candidates { if let key = nameKeys[Int(account)], !keys.contains(key) { keys.append(key) } }
            return Picks(otherwise: Self.pick(candidates, nameKey: .none, accounts: accounts, nameKeys: nameKeys),
                         byNameKey: keys.map { ($0, Self.pick(candidates, nameKey: .known($0), accounts: accounts, nameKeys: nameKeys)) })
        }
        namePicks = nameKeyAccounts.enumerated().map { key, candidates in
            Self.pick(candidates, nameKey: .known(Int32(key)), accounts: accounts, nameKeys: nameKeys)
        }
        rowsRead = read
        rowsSkipped = skipped
    }

    private static func numbered(_ index: [String: [Int32]]) -> (numbers: [String: Int32], accounts: [[Int32]]) {
        // In order of the first account on each key, so the numbering does not depend on hashing.
        let keys = index.keys.sorted { index[$0]![0] < index[$1]![0] }
        var numbers: [String: Int32] = [:]
        for (n, key) in keys.enumerated() { numbers[key] = Int32(n) }
        return (numbers, keys.map { index[$0]! })
    }

    /// A lead's registrable domain as the book knows it.
    enum LeadDomain: Equatable {
        /// The lead has none (no website, or not one a domain can be read from).
        case none
        /// A domain no account has.
        case unknown
        /// The domain of the accounts `domainAccounts[number]`.
        case known(Int32)
    }

    /// A lead's company key as the book knows it.
    enum LeadNameKey: Equatable {
        /// The company has no distinctive key.
        case none
        /// A key no account's name has.
        case unknown
        /// The key of the accounts `nameKeyAccounts[number]`.
        case known(Int32)
    }

    func domain(_ registrable: String?) -> LeadDomain {
        guard let registrable else { return .none }
        return domainNumbers[registrable].map(LeadDomain.known) ?? .unknown
    }

    func nameKey(_ key: String) -> LeadNameKey {
        if key.isEmpty { return .none }
        return nameKeyNumbers[key].map(LeadNameKey.known) ?? .unknown
    }

    /// The account of a lead with this registrable domain (or none) and company key (or empty).
    public func match(domain: String?, companyKey: String) -> (match: Match, account: Int?) {
        match(domain: self.domain(domain)) { nameKey(companyKey) }
    }

    /// The account of a lead by its numbered domain, then its company key, which is asked for only when
    /// the domain finds no single account (working it out costs more than the rest of the match).
    func match(domain: LeadDomain, nameKey: () -> LeadNameKey) -> (match: Match, account: Int?) {
        if case .known(let number) = domain {
            let candidates = domainAccounts[Int(number)]
            if candidates.count == 1 { return (.domain, Int(candidates[0])) }
            let picks = domainPicks[Int(number)]!
            var picked = picks.otherwise
            if !picks.byNameKey.isEmpty, case .known(let key) = nameKey(), let same = picks.byNameKey.first(where: { $0.key == key }) {
                picked = same.account
            }
            return picked.map { (.domain, $0) } ?? (.ambiguous, nil)
        }
        if case .known(let number) = nameKey() {
            return namePicks[Int(number)].map { (.name, $0) } ?? (.ambiguous, nil)
        }
        return (.none, nil)
    }

    /// The tie-breakers of the type's summary; `nil` when the candidates have different owners.
    private static func pick(_ candidates: [Int32], nameKey: LeadNameKey, accounts: [Account], nameKeys: [Int32?]) -> Int? {
        if candidates.count == 1 { return Int(candidates[0]) }
        var left = candidates.map(Int.init)
        // A key no account has, or none, names none of them.
        let sameName = left.filter { account in
            if case .known(let key) = nameKey { return nameKeys[account] == key }
            return false
        }
        if !sameName.isEmpty { left = sameName }
        let owned = left.filter { !accounts[$0].owner.isEmpty }
        if !owned.isEmpty { left = owned }
        let owners = Set(left.map { accounts[$0].owner.lowercased() })
        guard owners.count == 1 else { return nil }
        return left.min { accounts[$0].id < accounts[$1].id }
    }

    /// The registrable domain of a website, URL or bare host (`www.acme.com/`, `https://acme.com:8443`).
    public static func registrableDomain(ofWebsite value: String) -> String? {
        guard !value.isEmpty, let host = HostName.fromWebsite(value) else { return nil }
        return PublicSuffixList.shared.registrableDomain(of: host)
    }

    /// The registrable domain of a work address; `nil` for a free-mail provider's (``FreeMailDomains``).
    public static func registrableDomain(ofEmail value: String) -> String? {
        guard let at = value.lastIndex(of: "@") else { return nil }
        let host = value[value.index(after: at)...].trimmingCharacters(in: .whitespaces).lowercased()
        guard !host.isEmpty, let ascii = HostName.asciiForm(host), let registrable = PublicSuffixList.shared.registrableDomain(of: ascii),
              !FreeMailDomains.covers(registrable) else { return nil }
        return registrable
    }
}
