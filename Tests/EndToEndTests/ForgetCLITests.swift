import Foundation
import RunStore
import Testing
import TestSupport

/// `leadhygiene forget` through the built CLI: a weekly pipeline with a store, a person erased from it,
/// their bytes gone from the database and its WAL, and the next run rejecting them.
@Suite("forget through the CLI")
struct ForgetCLITests {
    static let policy = ComplianceCLITests.policy

    static let leads = """
        Lead ID,Email,First Name,Last Name,Job Title,Company,Country,Last Verified At
        L1,Zoe.Erasable@Acme-Widgets.com,Zoe,Erasable,CTO,Acme Widgets,US,2026-10-01
        L2,ann@acme-widgets.com,Ann,Lee,CFO,Acme Widgets,US,2026-10-01
        L3,zoe.erasable+events@acme-widgets.com,Zoe,Erasable,CTO,Acme Widgets,US,2026-10-02
        L4,bob@globex.example.com,Bob,Stone,VP,Globex,US,2026-10-01

        """

    static let pipeline = """
        name: weekly
        input: { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        store: out/store.sqlite
        auto_columns: true
        stages:
          - normalize: {}
          - compliance: { policy: \(policy) }
          - email_check: { dns: { enabled: false } }
          - dedupe: { mode: annotate }
          - decay: {}
        """

    func run(in dir: TemporaryDirectory, now: String) throws -> ProcessResult {
        try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", now, "--quiet"], in: dir.url)
    }

    static func holds(_ path: String, _ text: String) -> Bool {
        let bytes = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
        return ErasureText.mentions(bytes, anyOf: [Array(text.lowercased().utf8)])
    }

    @Test func forgetRemovesThePersonsBytesFromTheStoreAndItsWALAndTheNextRunRejectsThemAsErased() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try dir.write("weekly.yml", Self.pipeline)
            let store = dir.path("out/store.sqlite")
            // A connection held open here (a reader, a dashboard) keeps the WAL file between the commands, so
            // the runs' pages about Zoe are in the WAL when forget runs, and the test reads what forget left there.
            let held = try RunStore(path: store)
            let first = try run(in: dir, now: "2026-11-16T00:00:00Z")
            #expect(first.status == 0, "\(first.stderr)")
            let second = try run(in: dir, now: "2026-11-23T00:00:00Z")
            #expect(second.status == 0, "\(second.stderr)")
            #expect(Self.holds(store + "-wal", "zoe.erasable"), "the runs' pages about the person are in the WAL")

            let forget = try ProcessRunner.leadhygiene(["forget", "--store", "out/store.sqlite", "--email", "ZOE.ERASABLE@acme-widgets.com",
                                                        "--request-id", "DSR-2026-0042"], in: dir.url)
            #expect(forget.status == 0, "\(forget.stderr)")
            #expect(forget.stdout.contains("forgot ZOE.ERASABLE@acme-widgets.com"))
            #expect(forget.stdout.contains("lead_record row"))
            #expect(forget.stdout.contains("entity_key row"))
            #expect(forget.stdout.contains(dir.url.appendingPathComponent("out/clean.csv").standardized.path + " (run 2, output)\n"),
                    "the clean list of the last run still holds Zoe: \(forget.stdout)")
            #expect(!forget.stdout.contains("rejects.csv"), "no reject holds her")

            for file in [store, store + "-wal"] {
                #expect(!Self.holds(file, "zoe.erasable"), "\(file) still holds the erased address")
                #expect(!Self.holds(file, "zoeerasable"), "\(file) still holds the erased mailbox identity")
            }
            // Another person at the same company stays (the store keeps an address as its local part and a shared domain text).
            #expect(try held.integers("SELECT count(*) FROM lead_version WHERE email = 'ann@acme-widgets.com'") != [0])
            #expect(((try? FileManager.default.attributesOfItem(atPath: store + "-wal"))?[.size] as? Int) == 0, "the WAL is truncated")
            #expect(try held.integrityCheck() == ["ok"])
            #expect(try held.integers("SELECT count(*) FROM erasure_tombstone WHERE request_id = 'DSR-2026-0042'") == [1])

            // Next week the same list comes back: both spellings of Zoe are rejected, and the report says so.
            let third = try run(in: dir, now: "2026-11-30T00:00:00Z")
            #expect(third.status == 0, "\(third.stderr)")
            let rejects = try dir.read("out/rejects.csv")
            #expect(rejects.contains("2,compliance,erased_subject,"))
            #expect(rejects.contains("4,compliance,erased_subject,"))
            #expect(!(try dir.read("out/clean.csv")).lowercased().contains("erasable"))
            let report = try #require(JSONSerialization.jsonObject(with: Data(try dir.read("out/report.json").utf8)) as? [String: Any])
            #expect((report["reject_reasons"] as? [String: Int])?["erased_subject"] == 2)
            let stage = try #require((report["stages"] as? [[String: Any]])?.first { $0["name"] as? String == "compliance" })
            #expect((stage["summary"] as? [String: Any])?["erased_subjects_rejected"] as? Int == 2)
            // …and the store took nothing of her back in.
            for file in [store, store + "-wal"] { #expect(!Self.holds(file, "zoe.erasable"), "\(file) holds the person again") }
        }
    }

    @Test func anAddressThatIsNoAddressErasesNothing() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads)
            try dir.write("weekly.yml", Self.pipeline)
            #expect(try run(in: dir, now: "2026-11-16T00:00:00Z").status == 0)
            try dir.write("request.csv", "email\nann@acme-widgets.com\nnot an address\n")
            let forget = try ProcessRunner.leadhygiene(["forget", "--store", "out/store.sqlite", "--list", "request.csv"], in: dir.url)
            #expect(forget.status == 1)
            #expect(forget.stderr.contains("request.csv:3: 'not an address' is not an email address; nothing was erased"))
            #expect(try RunStore(path: dir.path("out/store.sqlite")).integers("SELECT count(*) FROM erasure_tombstone") == [0])
        }
    }

    @Test func aRequestListErasesEverySpellingOfAGmailMailbox() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", Self.leads + "L5,Jo.Doe@gmail.com,Jo,Doe,Founder,Doe Consulting,US,2026-10-01\n")
            try dir.write("weekly.yml", Self.pipeline)
            #expect(try run(in: dir, now: "2026-11-16T00:00:00Z").status == 0)
            try dir.write("request.csv", "email,requested\n\"jodoe+privacy@googlemail.com\",2026-11-20\n")
            let forget = try ProcessRunner.leadhygiene(["forget", "--store", "out/store.sqlite", "--list", "request.csv"], in: dir.url)
            #expect(forget.status == 0, "\(forget.stderr)")
            #expect(forget.stdout.contains("deleted 1 lead_record row"), "\(forget.stdout)")
            let store = dir.path("out/store.sqlite")
            #expect(!Self.holds(store, "jo.doe"))
            #expect(Self.holds(store, "zoe.erasable"), "only the requested person goes")
        }
    }
}
