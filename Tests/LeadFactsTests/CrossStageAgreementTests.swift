@testable import DecayStage
@testable import DedupeStage
import DomainNames
import EmailCheckStage
@testable import FirmographicMergeStage
import LeadFacts
@testable import LeadHygiene
@testable import NormalizeStage
import PipelineSpec
import TestSupport
import Testing

/// The stages agree on what a company and a mailbox are: one key each, whichever stage asks.
@Suite("Stages agree on shared lead facts")
struct CrossStageAgreementTests {
    static let spellings = [
        "Acme, Inc.", "ACME Incorporated", "The Acme Company", "Acme Group", "Acmé GmbH & Co. KG", "Acme Holding AG",
        "O'Reilly Media", "Procter & Gamble", "Globex S.A.", "Initech Pty Ltd", "Inc",
    ]

    /// A pipeline with every stage that keys companies, normalize with a legal form of its own.
    func preparedStages() throws -> [any Stage] {
        let dir = try TemporaryDirectory()
        _ = try dir.write("leads.csv", "email,first_name,last_name,company,website\n")
        _ = try dir.write("firmographics.csv", "domain,company_name,industry\n")
        let pipeline = try dir.write("p.yml", """
            input: { path: leads.csv }
            output: { path: out.csv }
            stages:
              - normalize: { legal_suffixes: [Holding AG] }
              - firmographic_merge: { sources: [{ name: crm, path: firmographics.csv }] }
              - dedupe: {}
              - decay: {}
            """)
        return try PreparedPipeline.prepare(path: pipeline, lintOnly: true).stages
    }

    @Test func everyStageKeysACompanyAsNormalizeWritesIt() throws {
        let stages = try preparedStages()
        let normalize = try require(stages.compactMap { $0 as? NormalizeStage }.first)
        let merge = try require(stages.compactMap { $0 as? FirmographicMergeStage }.first)
        let dedupe = try require(stages.compactMap { $0 as? DedupeStage }.first)
        let decay = try require(stages.compactMap { $0 as? DecayStage }.first)
        for name in Self.spellings {
            let written = normalize.companyKey.key(name)
            #expect(String(decoding: ComparatorKind.company.key(of: name, companyKey: dedupe.settings.companyKey), as: UTF8.self) == written,
                    "dedupe keys \(name) otherwise")
            #expect(decay.companyKey.key(name) == written, "decay keys \(name) otherwise")
            #expect((merge.companyKey.distinctiveKey(name) ?? written) == written, "firmographic_merge keys \(name) otherwise")
        }
        // normalize's own legal form reaches the other stages.
        #expect(decay.companyKey.key("Acme Holding AG") == "acme")
        #expect(merge.companyKey.distinctiveKey("Acme Holding AG") == "acme")
    }

    @Test(arguments: [
        "Jo+x@Acme.com", "jo@acme.com", "J.Doe+news@GoogleMail.com", "jdoe@gmail.com", "ann+crm@outlook.com", "ann.lee@icloud.com",
        "sales+eu@acme.com", "bob@mail.yahoo.co.uk",
    ])
    func emailCheckAndDedupeGiveAMailboxOneIdentity(address: String) throws {
        let checked = EmailChecker.bundled().assess(address)
        let compared = try require(EmailIdentity(address))
        #expect(checked.identityKey == compared.key)
    }

    @Test(arguments: ["gmail.com", "hey.com", "yahoo.co.uk", "gmx.de", "acme.com", "mail.yahoo.co.uk", "a.b.gmail.com", "gmail.com.example"])
    func everyStageKnowsTheSameFreeMailProviders(domain: String) throws {
        let listed = FreeMailDomains.covers(domain)
        #expect(try require(EmailIdentity("someone@" + domain)).isPersonal == listed)
        #expect(EmailChecker.bundled().freeMail.covers(domain) == listed)
        let companyDomain = EmailCleanup.companyDomain("someone@" + domain, psl: PublicSuffixList.shared.matcher,
                                                       freeMail: NormalizeStage.freeMailTable.reader)
        #expect(companyDomain.isEmpty == listed)
    }
}
