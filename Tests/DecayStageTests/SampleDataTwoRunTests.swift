import Foundation
import RunStore
import Testing
import TestSupport

/// The issue's scenario on SampleData/leads.csv through the built CLI: run 1 writes the store;
/// one lead changes title, one company's site now redirects to another company, one address
/// hard-bounces; run 2 (same clock, so age cannot move) reports exactly those three changes and
/// every lead keeps its stable id.
@Suite("SampleData two-run scenario")
struct SampleDataTwoRunTests {
    static let sampleLeads = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../SampleData/leads.csv").standardized.path

    static let pipeline = """
        name: weekly
        input: { path: leads.csv }
        output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
        store: out/leadhygiene.sqlite
        stages:
          - decay:
              suppression: { path: bounces.csv }
              history: sample-weekly
        """

    /// Rows that are plain (no quotes) and whose email appears once, so they are easy to edit and key uniquely.
    static func editableRows(_ lines: [Substring]) -> [Int] {
        var emailCounts: [String: Int] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count == 13 { emailCounts[fields[3].lowercased(), default: 0] += 1 }
        }
        return lines.indices.dropFirst().filter { i in
            let fields = lines[i].split(separator: ",", omittingEmptySubsequences: false)
            return !lines[i].contains("\"") && fields.count == 13 && fields[3].contains("@") && !fields[4].isEmpty
                && emailCounts[fields[3].lowercased()] == 1
        }
    }

    func decay(_ dir: TemporaryDirectory) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path("out/report.json")))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let stages = try #require(report["stages"] as? [[String: Any]])
        return try #require(stages.first { $0["name"] as? String == "decay" }?["summary"] as? [String: Any])
    }

    @Test func runTwoDetectsExactlyTheJobChangeTheAcquisitionAndTheBounce() throws {
        try #require(FileManager.default.fileExists(atPath: Self.sampleLeads), "SampleData/leads.csv (make sample)")
        try #require(FileManager.default.isExecutableFile(atPath: ProcessRunner.product("leadhygiene")))
        let text = try String(contentsOfFile: Self.sampleLeads, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let editable = Self.editableRows(lines)
        try #require(editable.count >= 3)
        let (jobChange, acquired, bounced) = (editable[0], editable[1], editable[2])

        func file(_ edit: (Int, inout [Substring]) -> Void) -> String {
            var out: [String] = [lines[0] + ",web_status,web_redirect_domain"]
            for i in lines.indices.dropFirst() {
                var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false)
                guard fields.count == 13, !lines[i].contains("\"") else { out.append(String(lines[i]) + ",ok,"); continue }
                fields += ["ok", ""]
                edit(i, &fields)
                out.append(fields.joined(separator: ","))
            }
            return out.joined(separator: "\n") + "\n"
        }
        func email(_ row: Int) -> String { String(lines[row].split(separator: ",", omittingEmptySubsequences: false)[3]) }

        try withTemporaryDirectory { dir in
            try dir.write("weekly.yml", Self.pipeline)
            try dir.write("leads.csv", file { _, _ in })
            try dir.write("bounces.csv", "email,type\n")
            let first = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", "2026-11-23T00:00:00Z", "--quiet"], in: dir.url)
            #expect(first.status == 0, "\(first.stderr)")
            let week1 = try decay(dir)

            try dir.write("leads.csv", file { i, fields in
                if i == jobChange { fields[4] = "Chief Transformation Officer" }
                if i == acquired { fields[14] = "acquirer-holdings.example" }
            })
            try dir.write("bounces.csv", "email,type\n\(email(bounced)),hard_bounce\n")
            let second = try ProcessRunner.leadhygiene(["run", "weekly.yml", "--now", "2026-11-23T00:00:00Z", "--quiet"], in: dir.url)
            #expect(second.status == 0, "\(second.stderr)")
            let week2 = try decay(dir)

            let before = try #require(week1["reasons"] as? [String: Int])
            let after = try #require(week2["reasons"] as? [String: Int])
            var changed: [String: Int] = [:]
            for key in Set(before.keys).union(after.keys) where (after[key] ?? 0) != (before[key] ?? 0) {
                changed[key] = (after[key] ?? 0) - (before[key] ?? 0)
            }
            #expect(changed == ["decay_title_changed": 1, "decay_company_redirect": 1, "suppressed_hard_bounce": 1])
            let history = try #require(week2["run_over_run"] as? [String: Any])
            #expect(history["vanished"] as? Int == 0)
            #expect(history["new_leads"] as? Int == 0)
            #expect(try dir.read("out/rejects.csv").contains(email(bounced)))

            let store = try RunStore(path: dir.path("out/leadhygiene.sqlite"))
            let runs = try store.runs(pipeline: "sample-weekly")
            #expect(runs.count == 2)
            let ids1 = Set(try store.snapshots(runID: runs[0].id!).map(\.entityID))
            let ids2 = Set(try store.snapshots(runID: runs[1].id!).map(\.entityID))
            #expect(ids1 == ids2)
            #expect(ids1.count > 1500)
            let changedLead = try #require(try store.snapshotsByEntity(runID: runs[1].id!)["email:" + email(jobChange).lowercased()])
            #expect(changedLead.title == "Chief Transformation Officer")
        }
    }
}
