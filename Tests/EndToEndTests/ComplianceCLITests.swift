import Foundation
import Testing
import TestSupport

/// The compliance stage through the built CLI, on CRM-shaped exports and the shipped example policy.
@Suite("Compliance through the CLI")
struct ComplianceCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let policy = root.appendingPathComponent("SampleData/contact-policy.example.yml").path

    /// A HubSpot-style export: legal basis, consent status and date (day-first and ISO), opt-out flags.
    static let leads = """
        Email,First Name,Job Title,Country/Region,Legal basis for processing contact's data,Email Consent,Consent Date,Unsubscribed from all email,Do Not Call
        hans@beispiel.de,Hans,CTO,Germany,Legitimate interest – prospect/lead,,,false,true
        greta@beispiel.de,Greta,CFO,Deutschland,Freely given consent from contact,Double opt-in,03.04.2025,false,false
        marie@exemple.ca,Marie,VP Sales,Canada,,implied_ebr,15.01.2025,,
        paul@exemple.ca,Paul,,CA,,implied_published,,,
        ann@acme.com,Ann,,United States,,,,yes,
        bob@acme.com,Bob,,US,,maybe later,,,
        cy@acme.com,Cy,,USA,,,,,

        """

    func pipeline(_ extra: String = "") -> String {
        """
        input: { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        auto_columns: true
        stages:
          - compliance:
              policy: \(Self.policy)
        \(extra)
        """
    }

    func run(in dir: TemporaryDirectory, now: String = "2026-11-23T00:00:00Z") throws -> ProcessResult {
        try ProcessRunner.leadhygiene(["run", "p.yml", "--now", now, "--quiet"], in: dir.url)
    }

    /// Row values of the clean output by email, for the named column.
    func column(_ name: String, in dir: TemporaryDirectory, file: String = "out/clean.csv") throws -> [String: String] {
        let lines = try dir.read(file).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let email = try #require(header.firstIndex(of: "Email")), wanted = try #require(header.firstIndex(of: name))
        return Dictionary(uniqueKeysWithValues: lines.dropFirst().map { ($0[email], $0[wanted]) })
    }

    @Test func aGermanLeadWithoutConsentIsNotContactAllowedAndWithDoubleOptInItIs() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try dir.write("p.yml", pipeline())
            let result = try run(in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            let allowed = try column("contact_allowed", in: dir)
            let reasons = try column("compliance_reasons", in: dir)
            #expect(allowed["hans@beispiel.de"] == "no")
            #expect(reasons["hans@beispiel.de"] == "consent_missing", "legitimate interest is no consent under UWG §7")
            #expect(allowed["greta@beispiel.de"] == "yes")
            #expect(try column("compliance_country", in: dir)["greta@beispiel.de"] == "DE")
            #expect(try column("compliance_country_source", in: dir)["greta@beispiel.de"] == "lead")
            // The rest of the list: an opt-out flag and an unreadable consent block; Do Not Call is about the phone.
            #expect(reasons["ann@acme.com"] == "do_not_contact")
            #expect(reasons["bob@acme.com"] == "consent_value_unknown")
            #expect(allowed["cy@acme.com"] == "yes", "the US is an opt-out regime in the example")
            #expect(reasons["paul@exemple.ca"] == "consent_missing", "a published address needs a role to be relevant to")

            let report = try JSONSerialization.jsonObject(with: Data(try dir.read("out/report.json").utf8)) as? [String: Any]
            let stage = try #require((report?["stages"] as? [[String: Any]])?.first { $0["name"] as? String == "compliance" })
            let summary = try #require(stage["summary"] as? [String: Any])
            let blocked = try #require(summary["blocked_by_country"] as? [String: [String: Int]])
            #expect(blocked["DE"] == ["consent_missing": 1])
            #expect(blocked["US"] == ["consent_value_unknown": 1, "do_not_contact": 1])
            #expect(summary["contact_allowed"] as? [String: Int] == ["yes": 3, "no": 4])
        }
    }

    @Test func casLImpliedConsentFromABusinessRelationshipExpiresTwoYearsAfterItsDate() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try dir.write("p.yml", pipeline())
            // Marie's relationship is dated 15 January 2025 (day-first, like the German dates of the export).
            #expect(try run(in: dir, now: "2026-11-23T00:00:00Z").status == 0)
            #expect(try column("contact_allowed", in: dir)["marie@exemple.ca"] == "yes")
            #expect(try run(in: dir, now: "2027-01-16T00:00:00Z").status == 0)
            #expect(try column("contact_allowed", in: dir)["marie@exemple.ca"] == "no")
            #expect(try column("compliance_reasons", in: dir)["marie@exemple.ca"] == "consent_expired")
        }
    }

    @Test func aDoNotContactEntryMatchesThroughGmailDotsAndPlusTagsAndRejectsWhenAsked() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", """
                Email,First Name,Country
                Jo.Doe+webinar@Gmail.com,Jo,US
                j.o.doe@googlemail.com,Jo,US
                jo.doe@acme.com,Jo,US
                sam@partner.example.co.uk,Sam,US

                """)
            try dir.write("dnc.csv", "Email,Domain,Reason\njodoe@gmail.com,,asked by phone\n,example.co.uk,partner agreement\n")
            try dir.write("p.yml", pipeline("""
                      do_not_contact: [dnc.csv]
                      actions: { dnc_listed: reject }
                """))
            let result = try run(in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            let rejects = try dir.read("out/rejects.csv")
            #expect(rejects.contains("2,compliance,dnc_listed,"))
            #expect(rejects.contains("3,compliance,dnc_listed,"))
            #expect(rejects.contains("dnc.csv:2 (asked by phone)"))
            let clean = try column("compliance_reasons", in: dir)
            #expect(clean["jo.doe@acme.com"] == "", "another domain's jo.doe is another person")
            #expect(clean["sam@partner.example.co.uk"] == "dnc_domain", "flagged by default")
        }
    }

    @Test func aPolicyMistakeIsReportedAtThePolicyFilesLineAndColumn() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email\na@b.com\n")
            try dir.write("policy.yml", "default: { email: {} }\ncountries:\n  DE: { email: { requires: [dubble_opt_in] } }\n")
            try dir.write("p.yml", "input: { path: leads.csv }\nauto_columns: true\nstages:\n  - compliance: { policy: policy.yml }\n")
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stdout.contains("policy.yml:3:29: error: stage 'compliance': unknown consent 'dubble_opt_in'; did you mean 'double_opt_in'?"),
                    "\(result.stdout)")
        }
    }

    @Test func lintWarnsWhenDedupeRunsBeforeComplianceInAPipelineWithAStore() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email\na@b.com\n")
            try dir.write("p.yml", """
                input: { path: leads.csv }
                store: out/store.sqlite
                auto_columns: true
                stages:
                  - dedupe: { mode: annotate }
                  - compliance: { policy: \(Self.policy) }
                """)
            let result = try ProcessRunner.leadhygiene(["lint", "p.yml"], in: dir.url)
            #expect(result.status == 0, "\(result.stdout)")
            #expect(result.stdout.contains("p.yml:6:5: warning: 'dedupe' runs before 'compliance' and keeps what it sees in the store"), "\(result.stdout)")
        }
    }
}
