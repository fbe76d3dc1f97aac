import Foundation
import RunStore
import Testing
import TestSupport

/// `leadhygiene explain-match`: a reviewer asks why two rows were, or were not, merged.
@Suite("explain-match")
struct ExplainMatchTests {
    static let pipeline = """
        input:  { path: leads.csv }
        output: { path: clean.csv }
        columns: { record_id: "Lead ID" }
        stages:
          - normalize: {}
          - dedupe: {}
        """

    /// The input line a lead starts on, found by its `Lead ID` at the start of a physical line.
    static func line(ofLead id: String, in text: String) throws -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.hasPrefix(id + ",") }) + 1
    }

    @Test func explainsAMergedPairAndAPairOfDifferentPeopleAsTheRunJudgedThem() throws {
        try withTemporaryDirectory { dir in
            let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("SampleData/leads.csv")
            let input = try String(contentsOf: sample, encoding: .utf8)
            try dir.write("leads.csv", input)
            try dir.write("p.yml", Self.pipeline)
            let run = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(run.status == 0, "\(run.stderr)")

            // A row dedupe marked as a duplicate, and the row it is a duplicate of.
            let clean = try dir.read("clean.csv").split(separator: "\n").map(String.init)
            let header = clean[0].split(separator: ",").map(String.init)
            let duplicateOf = try #require(header.firstIndex(of: "duplicate_of"))
            let entity = try #require(header.firstIndex(of: "entity_id"))
            let rows = clean.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                .filter { $0.count == header.count }  // rows without quoted commas are enough here
            let duplicate = try #require(rows.first { !$0[duplicateOf].isEmpty })
            let duplicateLine = try Self.line(ofLead: duplicate[0], in: input)
            let survivorLine = try #require(Int(duplicate[duplicateOf]))
            try FileManager.default.removeItem(atPath: dir.path("clean.csv"))

            let merged = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "\(survivorLine)", "\(duplicateLine)", "--json"], in: dir.url)
            #expect(merged.status == 0, "\(merged.stderr)")
            let verdict = try #require(try JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any])
            #expect(verdict["same_entity"] as? Bool == true)
            let fields = try #require(verdict["fields"] as? [[String: Any]])
            #expect(fields.map { $0["field"] as? String }.contains("email"))
            let sum = fields.compactMap { $0["weight"] as? Double }.reduce(verdict["prior_weight"] as? Double ?? .nan, +)
            #expect(abs(sum - (verdict["weight"] as? Double ?? .nan)) < 1e-6)
            #expect(!FileManager.default.fileExists(atPath: dir.path("clean.csv")), "explain-match wrote the output")

            // Two rows in different entities.
            let other = try #require(rows.first { $0[entity] != duplicate[entity] && $0[duplicateOf].isEmpty })
            let apart = try ProcessRunner.leadhygiene(
                ["explain-match", "p.yml", "\(duplicateLine)", "\(try Self.line(ofLead: other[0], in: input))"], in: dir.url)
            #expect(apart.status == 0, "\(apart.stderr)")
            #expect(apart.stdout.hasSuffix("different entities\n"), "\(apart.stdout)")
            #expect(apart.stdout.contains("below the threshold"), "\(apart.stdout)")

            let header1 = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "1", "\(duplicateLine)"], in: dir.url)
            #expect(header1.status == 2)
            #expect(header1.stderr.contains("line 1 is not a row dedupe compared"), "\(header1.stderr)")
        }
    }

    @Test func leavesTheRunStoreAsItWas() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", """
                Lead ID,Email,First Name,Last Name,Company
                1,bob.smith@acme.test,Bob,Smith,Acme
                2,robert.smith@acme.test,Robert,Smith,Acme Inc
                3,ann.lee@globex.test,Ann,Lee,Globex

                """)
            // decay before dedupe would record a run on its own; under explain-match nothing is recorded.
            try dir.write("p.yml", """
                input: { path: leads.csv }
                store: store.sqlite
                columns: { record_id: "Lead ID" }
                stages:
                  - decay: {}
                  - dedupe: {}
                """)
            let result = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "2", "3"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("first_name"), "\(result.stdout)")
            #expect(try RunStore(path: dir.path("store.sqlite")).runs(pipeline: "p").isEmpty)
        }
    }

    @Test func refusesAPipelineWithoutDedupe() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", "Email\na@b.test\nc@d.test\n")
            try dir.write("p.yml", "input: { path: leads.csv }\nstages:\n  - normalize: {}\n")
            let result = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "2", "3"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("p.yml:2:1: error: the pipeline has no dedupe stage to explain"), "\(result.stderr)")
        }
    }

    /// Colleagues at one account, a person written twice (once with names swapped), and a pipeline that checks
    /// emails against a name server: the test's own UDP socket on 127.0.0.1, which counts what reaches it.
    @Test func showsBothRowsValuesSaysWhyAFieldWasSkippedAndAsksNoNameServer() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", """
                Lead ID,First Name,Last Name,Email,Company,City,Country
                1,Hugues,Pelletier,hpelletier@roussel6.test,Roussel,Baillynec,FR
                2,Hugues,Becker,hbecker@roussel6.test,Roussel SAS,Baillynec,FR
                3,Pelletier,Hugues,hpelletier@roussel6.test,Roussel,Baillynec,FR
                4,Ann,Lee,ann.lee@globex.test,Globex,Springfield,US

                """)
            let listener = try UDPListener()
            try dir.write("p.yml", """
                input: { path: leads.csv }
                columns: { record_id: "Lead ID" }
                stages:
                  - normalize: {}
                  - email_check: { dns: { server: 127.0.0.1, port: \(listener.port), timeout: 1, attempts: 1, canary: "" }, special_use_domains: { allow: [test] } }
                  - dedupe: {}
                """)
            let colleagues = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "2", "3", "--json"], in: dir.url)
            #expect(colleagues.status == 0, "\(colleagues.stderr)")
            let verdict = try #require(try JSONSerialization.jsonObject(with: Data(colleagues.stdout.utf8)) as? [String: Any])
            let fields = try #require(verdict["fields"] as? [[String: Any]])
            func field(_ name: String) -> [String: Any]? { fields.first { $0["field"] as? String == name } }
            #expect(field("last_name")?["values"] as? [String] == ["Pelletier", "Becker"])
            #expect(field("city")?["level"] as? String == "skipped")
            #expect(field("city")?["skipped_because"] as? String == "implied_by: email")
            #expect(verdict["rule"] as? String == "distinct_work_mailboxes")
            #expect(verdict["same_entity"] as? Bool == false)

            let swapped = try ProcessRunner.leadhygiene(["explain-match", "p.yml", "2", "4"], in: dir.url)
            #expect(swapped.status == 0, "\(swapped.stderr)")
            let firstName = try #require(swapped.stdout.split(separator: "\n").first { $0.hasPrefix("  first_name") })
            #expect(firstName.contains("Hugues") && firstName.contains("Pelletier") && firstName.contains("swapped"), "\(swapped.stdout)")
            #expect(!firstName.contains("typo"))
            #expect(listener.datagramsReceived() == 0, "explain-match asked the name server")
        }
    }
}

/// A UDP socket on 127.0.0.1 that answers nothing and counts the datagrams sent to it.
final class UDPListener {
    let fd: Int32
    let port: Int

    init() throws {
        let socketFD = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, len) } }
        guard bound == 0 else { close(socketFD); throw CocoaError(.fileWriteUnknown) }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &len) } }
        fd = socketFD
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Datagrams waiting on the socket (read without blocking).
    func datagramsReceived() -> Int {
        var count = 0
        var buffer = [UInt8](repeating: 0, count: 2048)
        while recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) >= 0 { count += 1 }
        return count
    }

    deinit { close(fd) }
}
