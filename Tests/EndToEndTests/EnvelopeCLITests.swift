import Foundation
import Testing
import TestSupport

/// `leadhygiene envelope encode` and `leadhygiene run --envelope`: a list cut into partitions and run
/// separately, in any order, gives back the one-machine run's files byte for byte.
@Suite("leadhygiene run --envelope")
struct EnvelopeCLITests {
    /// A CRM export with what such exports hold: a quoted comma, a quoted line break, a formula, a
    /// quote inside a value, accents, a row with one field too many and a bad address.
    static let export = [
        #"Lead ID,Email,First Name,Last Name,Company,Notes"#,
        #"L1,ann@acme.com,Ann,Lee,"Acme, Inc.",called twice"#,
        "L2,BOB@Example.org,Bob,O'Neil,Example,\"line one\r\nline two\"",
        #"L3,not-an-address,Cy,Wu,Globex,=HYPERLINK("http://x")"#,
        #"L4,dana@initech.io,Dana,Müller,Initech GmbH,"said ""later""""#,
        #"L5,eve@acme.com,Eve,Ng,Acme,one,field too many"#,
        #"L6,,Fay,Ruiz,Hooli,"#,
        #"L7,gus@umbrella.co,Gus,Dunn,Umbrella Corp,"#,
    ].map { $0 + "\r\n" }.joined()

    func pipeline(_ dir: TemporaryDirectory) throws {
        _ = try dir.write("crm.csv", Self.export)
        _ = try dir.write("p.yml", """
            input:  { path: crm.csv }
            output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json, formula_guard: true }
            columns: { record_id: "Lead ID", email: Email, first_name: "First Name", last_name: "Last Name", company: Company }
            stages:
              - normalize: {}
              - email_check: { dns: { enabled: false }, actions: { invalid: reject, risky: flag, unknown: keep } }
            """)
    }

    /// Each line of an envelope as a JSON object.
    func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
    }

    /// Runs `lines` (after the input header) as one partition and returns its envelope lines.
    func partition(_ header: String, _ lines: [String], stages: String? = nil, in dir: TemporaryDirectory) throws -> [[String: Any]] {
        let result = try ProcessRunner.leadhygiene(
            ["run", "p.yml", "--envelope", "--now", "2026-12-01T00:00:00Z"] + (stages.map { ["--stages", $0] } ?? []),
            stdin: ([header] + lines).map { $0 + "\n" }.joined(), in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        return try objects(result.stdout)
    }

    @Test func partitionsRunInAnyOrderGiveTheOneMachineFilesByteForByte() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let single = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", "2026-12-01T00:00:00Z"], in: dir.url)
            #expect(single.status == 0, "\(single.stderr)")
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url)
            #expect(encoded.status == 0, "\(encoded.stderr)")
            let lines = encoded.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 8)  // the header and seven records, the one with too many fields among them
            // Three partitions, each given its rows last line first.
            var envelopes: [[String: Any]] = []
            for part in 0..<3 {
                let mine = lines.dropFirst().enumerated().filter { $0.offset % 3 == part }.map(\.element).reversed()
                envelopes += try partition(lines[0], Array(mine), in: dir)
            }
            let header = try require(envelopes.first { $0["kind"] as? String == "header" })
            func text(_ kind: String) -> String {
                envelopes.filter { $0["kind"] as? String == kind }
                    .sorted { ($0["seq"] as? Int ?? 0) < ($1["seq"] as? Int ?? 0) }
                    .map { $0["text"] as? String ?? "" }.joined()
            }
            #expect((header["output"] as? String ?? "") + text("row") == (try dir.read("out/clean.csv")))
            #expect((header["rejects"] as? String ?? "") + text("reject") == (try dir.read("out/rejects.csv")))
            let rejects = envelopes.filter { $0["kind"] as? String == "reject" }
            #expect(Set(rejects.compactMap { $0["reason"] as? String }) == ["csv_wrong_column_count", "email_missing", "email_invalid_syntax", "email_special_use_domain"])
            let reports = envelopes.filter { $0["kind"] as? String == "summary" }.compactMap { $0["report"] as? [String: Any] }
            #expect(reports.count == 3)
            let oneMachine = try require(JSONSerialization.jsonObject(with: Data(dir.read("out/report.json").utf8)) as? [String: Any])
            for key in ["rows_in", "rows_out", "rows_rejected", "rows_merged"] {
                #expect(reports.map { $0[key] as? Int ?? -1 }.reduce(0, +) == oneMachine[key] as? Int, "\(key)")
            }
        }
    }

    @Test func twoSegmentsOneStageEachGiveTheOneMachineFiles() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let single = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", "2026-12-01T00:00:00Z"], in: dir.url)
            #expect(single.status == 0, "\(single.stderr)")
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url).stdout
            let lines = encoded.split(separator: "\n").map(String.init)
            let first = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--stages", "1-1", "--now", "2026-12-01T00:00:00Z"],
                                                      stdin: encoded, in: dir.url)
            #expect(first.status == 0, "\(first.stderr)")
            let firstLines = first.stdout.split(separator: "\n").map(String.init)
            // The second segment reads the first one's rows, with every column the pipeline's stages make.
            var header = try require(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            header["row_columns"] = try objects(firstLines[0])[0]["columns"]
            let headerLine = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
            let rows = firstLines.filter { $0.hasPrefix("{\"seq\":") && $0.contains(",\"kind\":\"row\",") }
            let second = try partition(headerLine, rows, stages: "2-2", in: dir)
            let firstEnvelope = try objects(first.stdout)
            func text(_ kind: String, _ envelopes: [[String: Any]]) -> [(Int, String)] {
                envelopes.filter { $0["kind"] as? String == kind }.map { ($0["seq"] as? Int ?? 0, $0["text"] as? String ?? "") }
            }
            let clean = text("row", second).sorted { $0.0 < $1.0 }.map(\.1).joined()
            let rejects = (text("reject", firstEnvelope) + text("reject", second)).sorted { $0.0 < $1.0 }.map(\.1).joined()
            #expect((second[0]["output"] as? String ?? "") + clean == (try dir.read("out/clean.csv")))
            #expect((second[0]["rejects"] as? String ?? "") + rejects == (try dir.read("out/rejects.csv")))
            let reports = [firstEnvelope.last, second.last].compactMap { $0?["report"] as? [String: Any] }
            #expect(reports.map { ($0["stages"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } } == [["normalize"], ["email_check"]])
        }
    }

    /// The lines of an envelope whose kind is `kind`.
    func lines(_ text: String, kind: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.contains(",\"kind\":\"\(kind)\",") }
    }

    @Test func aSegmentWithCarryAlsoHandsOnEveryRowItSetsAsideWithItsValuesAndDisposition() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url).stdout
            let plain = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--now", "2026-12-01T00:00:00Z"],
                                                      stdin: encoded, in: dir.url)
            let carrying = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--carry", "--now", "2026-12-01T00:00:00Z"],
                                                         stdin: encoded, in: dir.url)
            #expect(plain.status == 0 && carrying.status == 0, "\(plain.stderr)\(carrying.stderr)")
            // The other lines are the plain run's, its report aside (timings).
            let others = carrying.stdout.split(separator: "\n").filter { !$0.contains(#","kind":"carried","#) }
            #expect(Array(others.dropLast()) == Array(plain.stdout.split(separator: "\n").dropLast()))
            let rejects = try objects(lines(plain.stdout, kind: "reject").joined(separator: "\n"))
            let carried = try objects(lines(carrying.stdout, kind: "carried").joined(separator: "\n"))
            #expect(rejects.count == 4)
            #expect(carried.map { $0["seq"] as? Int ?? 0 } == rejects.map { $0["seq"] as? Int ?? -1 })
            for (reject, row) in zip(rejects, carried) {
                let disposition = try require(row["disposition"] as? [String: Any])
                #expect(disposition["rejected"] as? String == reject["reason"] as? String)
                #expect(disposition["stage"] as? String == reject["stage"] as? String)
                #expect(disposition["detail"] as? String == reject["detail"] as? String)
                // Only a row the reader refused has raw text, kept as it was read.
                #expect(disposition["raw"] as? String == (reject["stage"] as? String == "input" ? reject["raw"] as? String : nil))
            }
            // A row email_check rejected carries its values as the stages left them: normalize's columns included.
            let missing = try require(carried.first { ($0["disposition"] as? [String: Any])?["rejected"] as? String == "email_missing" })
            let values = try require(missing["row"] as? [String: String])
            #expect(values["Lead ID"] == "L6" && values["First Name"] == "Fay")
            #expect(values["norm_first_name"] == "Fay")
            #expect(values["email_status"] == "invalid")
            let reports = try [plain, carrying].map { try require(objects($0.stdout).last?["report"] as? [String: Any]) }
            for key in ["rows_in", "rows_out", "rows_rejected", "rows_merged"] {
                #expect(reports[0][key] as? Int == reports[1][key] as? Int, "\(key)")
            }
        }
    }

    @Test func aLaterSegmentPassesCarriedRowsOnUnchangedUncountedAndUnwritten() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let now = "2026-12-01T00:00:00Z"
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url).stdout
            let described = String(encoded.prefix { $0 != "\n" })
            // normalize sets aside nothing of its own: the reader's reject (a row with a field too many) is carried.
            let first = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--carry", "--stages", "1-1", "--now", now],
                                                      stdin: encoded, in: dir.url)
            #expect(first.status == 0, "\(first.stderr)")
            let carried = lines(first.stdout, kind: "carried")
            #expect(carried.count == 1 && carried[0].contains(#""stage":"input""#))
            var header = try require(JSONSerialization.jsonObject(with: Data(described.utf8)) as? [String: Any])
            header["row_columns"] = try objects(first.stdout)[0]["columns"]
            let headerLine = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
            let rows = lines(first.stdout, kind: "row")
            // email_check with the carried row among the kept ones (in input order, as the driver sorts them), and without it.
            func seq(_ line: String) -> Int { Int(line.dropFirst(7).prefix { $0.isNumber }) ?? 0 }
            let mixed = (rows + carried).sorted { seq($0) < seq($1) }
            func second(_ lines: [String], _ extra: [String]) throws -> ProcessResult {
                let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--stages", "2-2", "--now", now] + extra,
                                                           stdin: ([headerLine] + lines).map { $0 + "\n" }.joined(), in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                return result
            }
            let alone = try second(rows, []), with = try second(mixed, []), handingOn = try second(mixed, ["--carry"])
            // Neither written nor counted: the rows, rejects and report are those of the kept rows alone.
            for result in [with, handingOn] {
                for kind in ["header", "row", "reject", "merged"] {
                    #expect(lines(result.stdout, kind: kind) == lines(alone.stdout, kind: kind), "\(kind)")
                }
                let report = try require(objects(result.stdout).last?["report"] as? [String: Any])
                let aloneReport = try require(objects(alone.stdout).last?["report"] as? [String: Any])
                for key in ["rows_in", "rows_out", "rows_rejected", "rows_merged"] {
                    #expect(report[key] as? Int == aloneReport[key] as? Int, "\(key)")
                }
                #expect((report["reject_reasons"] as? [String: Int])?["csv_wrong_column_count"] == nil)
                let stage = try require((report["stages"] as? [[String: Any]])?.first)
                #expect(stage["rows_in"] as? Int == rows.count)
            }
            #expect(lines(with.stdout, kind: "carried").isEmpty)
            // Handed on as it came, byte for byte (email_check would have rejected its empty address), after the rows
            // this segment set aside itself.
            let handed = lines(handingOn.stdout, kind: "carried")
            #expect(handed.contains(carried[0]))
            #expect(handed.count == 1 + lines(alone.stdout, kind: "reject").count)
        }
    }

    @Test func aMergedRowIsCarriedWithItsSurvivorAndPassesOnThroughALaterSegment() throws {
        try withTemporaryDirectory { dir in
            let generated = try ProcessRunner.run(ProcessRunner.product("lead-sample"),
                                                  ["--rows", "300", "--seed", "3", "--output", dir.path("leads.csv")])
            #expect(generated.status == 0, "\(generated.stderr)")
            _ = try dir.write("p.yml", """
                input:  { path: leads.csv }
                output: { path: out/clean.csv, merged: out/merged.csv }
                columns: { record_id: "Lead ID" }
                stages:
                  - normalize: {}
                  - dedupe: { mode: merge }
                  - email_check: { dns: { enabled: false }, actions: { invalid: reject, risky: flag, unknown: keep } }
                """)
            let now = "2026-12-01T00:00:00Z"
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url).stdout
            let first = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--carry", "--stages", "1-2", "--now", now],
                                                      stdin: encoded, in: dir.url)
            #expect(first.status == 0, "\(first.stderr)")
            // Each merged row goes on with its values and the line it was merged into, as its merged line has them.
            let merged = try objects(lines(first.stdout, kind: "merged").joined(separator: "\n"))
            let carried = try objects(lines(first.stdout, kind: "carried").joined(separator: "\n"))
            #expect(merged.count > 10)
            let carriedMerged = carried.filter { ($0["disposition"] as? [String: Any])?["merged_into"] != nil }
            #expect(carriedMerged.map { $0["seq"] as? Int ?? 0 } == merged.map { $0["seq"] as? Int ?? -1 })
            for (line, row) in zip(merged, carriedMerged) {
                #expect((row["disposition"] as? [String: Any])?["merged_into"] as? Int == line["into"] as? Int)
                #expect(row["row"] as? [String: String] == line["row"] as? [String: String])
            }
            var header = try require(JSONSerialization.jsonObject(with: Data(encoded.prefix { $0 != "\n" }.utf8)) as? [String: Any])
            header["row_columns"] = try objects(first.stdout)[0]["columns"]
            let headerLine = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
            func seq(_ line: String) -> Int { Int(line.dropFirst(7).prefix { $0.isNumber }) ?? 0 }
            let rows = lines(first.stdout, kind: "row"), handed = lines(first.stdout, kind: "carried")
            func third(_ lines: [String]) throws -> ProcessResult {
                let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--carry", "--stages", "3-3", "--now", now],
                                                           stdin: ([headerLine] + lines).map { $0 + "\n" }.joined(), in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                return result
            }
            let alone = try third(rows), with = try third((rows + handed).sorted { seq($0) < seq($1) })
            // email_check (which would reject a merged row's address as any other) leaves them as they came.
            #expect(Set(lines(with.stdout, kind: "carried")) == Set(handed + lines(alone.stdout, kind: "carried")))
            for kind in ["row", "reject", "merged"] {
                #expect(lines(with.stdout, kind: kind) == lines(alone.stdout, kind: kind), "\(kind)")
            }
            let reports = try [alone, with].map { try require(objects($0.stdout).last?["report"] as? [String: Any]) }
            for key in ["rows_in", "rows_out", "rows_rejected", "rows_merged"] {
                #expect(reports[0][key] as? Int == reports[1][key] as? Int, "\(key)")
            }
        }
    }

    @Test func carryWithoutEnvelopeIsAUsageError() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--carry"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("--carry hands set-aside rows to a later segment of a distributed run; it needs --envelope"))
            #expect(!dir.exists("out/clean.csv"))
        }
    }

    @Test func theInputHeaderSaysWhichStagesNeedEveryRowAndWhereTheEmailIs() throws {
        try withTemporaryDirectory { dir in
            _ = try dir.write("crm.csv", Self.export)
            _ = try dir.write("p.yml", """
                input:  { path: crm.csv }
                output: { path: out/clean.csv }
                store: out/store.sqlite
                columns: { email: Email, first_name: "First Name", last_name: "Last Name", company: Company }
                stages: [normalize, { dedupe: { mode: annotate } }]
                """)
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url)
            #expect(encoded.status == 0, "\(encoded.stderr)")
            let header = try objects(String(encoded.stdout.prefix { $0 != "\n" }))[0]
            let stages = (header["stages"] as? [[String: Any]] ?? []).map {
                "\($0["name"] as? String ?? "") \($0["whole_list"] as? Bool == true ? "whole list" : "per record")"
            }
            #expect(stages == ["normalize per record", "dedupe whole list"])
            #expect((header["fields"] as? [String: String])?["email"] == "Email")
            #expect(header["store"] as? Bool == true)
            #expect((header["sample"] as? [[String]])?.first?.first == "L1")
            #expect(!dir.exists("out/store.sqlite"))
        }
    }

    @Test func stagesWithoutEnvelopeAreAUsageError() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--stages", "1-1"], in: dir.url)
            #expect(result.status == 2)
            #expect(result.stderr.contains("--stages runs a segment of a distributed run; it needs --envelope"))
        }
    }

    @Test func anEmptyPartitionStillSaysItsColumnsAndAccountsForNoRow() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url)
            let header = String(encoded.stdout.prefix { $0 != "\n" })
            let envelope = try partition(header, [], in: dir)
            #expect(envelope.map { $0["kind"] as? String ?? "" } == ["header", "summary"])
            let columns = envelope[0]["columns"] as? [String] ?? []
            #expect(columns.starts(with: ["Lead ID", "Email", "First Name", "Last Name", "Company", "Notes", "norm_email"]))
            #expect(columns.contains("email_status"))
            let report = try require(envelope[1]["report"] as? [String: Any])
            #expect(report["rows_in"] as? Int == 0)
            #expect(report["status"] as? String == "ok")
        }
    }

    @Test func anEnvelopeWithoutItsInputHeaderIsRefusedWithExitOne() throws {
        try withTemporaryDirectory { dir in
            try pipeline(dir)
            let result = try ProcessRunner.leadhygiene(
                ["run", "p.yml", "--envelope"], stdin: "{\"seq\":2,\"kind\":\"row\",\"row\":{\"Email\":\"a@b.com\"}}\n", in: dir.url)
            #expect(result.status == 1)
            #expect(result.stderr.contains("input header"))
            #expect(!dir.exists("out/clean.csv"))
        }
    }
}
