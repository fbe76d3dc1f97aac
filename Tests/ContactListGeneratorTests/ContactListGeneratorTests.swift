import Foundation
import Testing
@testable import ContactListGenerator

/// The independent generator has the shape of real B2B lists that dedupe is checked against.
@Suite struct ContactListGeneratorTests {
    static let rows: [ContactListGenerator.Row] = {
        var generator = ContactListGenerator(.init(rows: 20_000, seed: 3))
        return generator.generate()
    }()

    static func column(_ name: String) -> Int { ContactListGenerator.columns.firstIndex(of: name)! }

    /// The work domain of a row's address, when it is one of the generated accounts' (not a free provider).
    static func accountDomain(_ row: ContactListGenerator.Row) -> String? {
        let email = row.values[column("E-mail Address")].lowercased()
        guard let at = email.firstIndex(of: "@") else { return nil }
        let domain = String(email[email.index(after: at)...])
        let free = ["gmail.com", "yahoo", "outlook", "hotmail", "icloud", "aol.com", "orange.fr", "free.fr", "laposte", "sfr.fr",
                    "web.de", "gmx", "t-online", "btinternet", "sky.com", "ziggo", "kpnmail", "rediffmail", "telefonica"]
        return free.contains { domain.contains($0) } ? nil : domain
    }

    @Test func theSameSeedGivesTheSameListAndEveryRowHasATruePerson() {
        var again = ContactListGenerator(.init(rows: 20_000, seed: 3))
        let second = again.generate()
        #expect(second.map(\.values) == Self.rows.map(\.values))
        #expect(Self.rows.count == 20_000)
        #expect(Set(Self.rows.map { $0.values[0] }).count == 20_000, "Contact IDs are unique")
        #expect(Self.rows.allSatisfy { $0.personID.hasPrefix("P") && $0.values.count == ContactListGenerator.columns.count })
        let people = Set(Self.rows.map(\.personID)).count
        #expect(people < 19_000 && people > 12_000, "some people appear more than once: \(people)")
    }

    @Test func accountSizesFollowAZipfLawWithAFewLargeAccounts() {
        var perDomain: [String: Int] = [:]
        for row in Self.rows { if let domain = Self.accountDomain(row) { perDomain[domain, default: 0] += 1 } }
        let sizes = perDomain.values.sorted(by: >)
        #expect(sizes[0] >= 150, "the largest account has \(sizes[0]) rows")
        let small = sizes.filter { $0 <= 2 }.count
        #expect(Double(small) / Double(sizes.count) > 0.5, "most accounts are small: \(small) of \(sizes.count)")
    }

    @Test func mostOfALargeAccountsPeopleShareItsHomeCity() {
        var byDomain: [String: [String]] = [:]
        for row in Self.rows {
            if let domain = Self.accountDomain(row), !row.values[Self.column("City")].isEmpty {
                byDomain[domain, default: []].append(row.values[Self.column("City")])
            }
        }
        let largest = byDomain.values.max { $0.count < $1.count }!
        let counts = Dictionary(largest.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(Double(counts.values.max()!) / Double(largest.count) >= 0.7)
    }

    @Test func sameNameColleaguesHaveDistinctMailboxesInTheAccountsPattern() {
        // Group rows of the largest account by person: different people with one given name exist, each with their own mailbox.
        var perDomain: [String: [ContactListGenerator.Row]] = [:]
        for row in Self.rows { if let domain = Self.accountDomain(row) { perDomain[domain, default: []].append(row) } }
        let largest = perDomain.values.max { $0.count < $1.count }!
        var mailboxesByGiven: [String: [String: Set<String>]] = [:]
        for row in largest {
            let email = row.values[Self.column("E-mail Address")].lowercased()
            guard !email.contains("+"), !email.hasPrefix("info@"), !email.hasPrefix("sales@") else { continue }
            mailboxesByGiven[row.values[Self.column("First")], default: [:]][row.personID, default: []].insert(email)
        }
        let shared = mailboxesByGiven.values.filter { $0.count >= 2 }
        #expect(!shared.isEmpty, "colleagues share a given name")
        for people in shared {
            let all = people.values.map { $0.first! }
            #expect(Set(all).count == all.count, "two people with one mailbox: \(people)")
        }
    }

    @Test func listsCarryTeamMailboxesMissingFieldsAndJobChanges() {
        let emails = Self.rows.map { $0.values[Self.column("E-mail Address")] }
        #expect(emails.contains { $0.hasPrefix("info@") || $0.hasPrefix("sales@") })
        #expect(emails.filter(\.isEmpty).count > 100)
        // A job change: one person at two account domains.
        var domains: [String: Set<String>] = [:]
        for row in Self.rows { if let domain = Self.accountDomain(row) { domains[row.personID, default: []].insert(domain) } }
        #expect(domains.values.contains { $0.count >= 2 })
    }
}
