import Foundation
import Testing
import TestSupport

/// `leadhygiene dedupe keys|sample|compare|fit|score|cluster`, chained as a distributed run chains them (the rows
/// cut into slices at every step), find the entities one `leadhygiene run` finds, and write the same files.
@Suite("leadhygiene dedupe steps")
struct DedupeStepsCLITests {
    static let now = "2026-12-01T00:00:00Z"

    func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    func object(_ line: String) throws -> [String: Any] {
        try require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
    }

    func seq(_ line: String) throws -> Int { try require(object(line)["seq"] as? Int) }

    /// Runs one step on `rows` (after `header`) and returns its output lines.
    func step(_ arguments: [String], header: String, rows: [String], in dir: TemporaryDirectory) throws -> [String] {
        let result = try ProcessRunner.leadhygiene(["dedupe"] + arguments, stdin: ([header] + rows).map { $0 + "\n" }.joined(), in: dir.url)
        #expect(result.status == 0, "dedupe \(arguments.first ?? ""): \(result.stderr)")
        return lines(result.stdout)
    }

    /// Compares `pairs` (with their payload) over only the rows they name, in two slices; returns each pair's output.
    func pairwise(_ command: [String], _ pairs: [(a: Int, b: Int)], rowOf: [Int: String], header: String,
                  in dir: TemporaryDirectory) throws -> [[String: Any]] {
        var out: [[String: Any]] = []
        for (slice, part) in [pairs.enumerated().filter { $0.offset % 2 == 0 }, pairs.enumerated().filter { $0.offset % 2 == 1 }].enumerated() {
            let mine = part.map(\.element)
            let file = try dir.write("pairs-\(slice).txt", mine.map { "\($0.a) \($0.b)\n" }.joined())
            let needed = Set(mine.flatMap { [$0.a, $0.b] }).sorted()
            out += try step(command + ["--pairs", file], header: header, rows: needed.map { rowOf[$0]! }, in: dir).map(object)
        }
        return out
    }

    @Test func theStepsChainedOverSlicesGiveTheEntitiesAndFilesOfOneRun() throws {
        try withTemporaryDirectory { dir in try chain(in: dir) }
    }

    @Test func compareGivesTheSamePatternsOverRowsCutToTheColumnsKeysNames() throws {
        try withTemporaryDirectory { dir in
            try DedupeDeterminismCLITests.generatedList(rows: 1500, in: dir)
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url).stdout
            let first = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--stages", "1-1", "--now", Self.now],
                                                      stdin: encoded, in: dir.url)
            #expect(first.status == 0, "\(first.stderr)")
            let firstLines = lines(first.stdout)
            var described = try object(lines(encoded)[0])
            described["row_columns"] = try object(firstLines[0])["columns"]
            let header = String(decoding: try JSONSerialization.data(withJSONObject: described), as: UTF8.self)
            let rows = firstLines.filter { $0.contains(",\"kind\":\"row\",") }
            let stage = ["p.yml", "--stage", "2"]
            let keyed = try step(["keys"] + stage, header: header, rows: rows, in: dir)
            let columns = try require(object(keyed[0])["columns"] as? [String])
            #expect(!columns.isEmpty)
            #expect(columns.count < (described["row_columns"] as? [String] ?? []).count)

            // Pairs that share a block key (likely duplicates) and neighbours (likely not): many patterns.
            var byKey: [String: [Int]] = [:]
            for line in keyed.dropFirst() {
                let row = try object(line)
                for case let key as String in row["keys"] as? [Any] ?? [] { byKey[key, default: []].append(try require(row["seq"] as? Int)) }
            }
            let seqs = try rows.map(seq)
            var pairs = byKey.sorted { $0.key < $1.key }.map(\.value).filter { $0.count > 1 }.prefix(300).map { "\($0[0]) \($0[1])" }
            pairs += (0..<300).map { "\(seqs[$0]) \(seqs[$0 + 1])" }
            let file = try dir.write("pairs.txt", pairs.joined(separator: "\n") + "\n")

            // The same rows with those columns alone, as a distributed run ships them to compare and score.
            let cut = try rows.map { line -> String in
                let entry = try object(line)
                let values = try require(entry["row"] as? [String: Any]).filter { columns.contains($0.key) }
                let object = String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self)
                return "{\"seq\":\(try seq(line)),\"kind\":\"row\",\"row\":\(object)}"
            }
            // The rows `keys --compact-rows` cut itself, taken from its lines as the driver takes them (the row object
            // is the line's tail, not decoded); its keys and values are those of `keys` without it.
            let compact = try step(["keys"] + stage + ["--compact-rows"], header: header, rows: rows, in: dir)
            #expect(compact.count == keyed.count && compact.first == keyed.first)
            var fromKeys: [String] = []
            for (plain, line) in zip(keyed.dropFirst(), compact.dropFirst()) {
                let tail = try require(line.range(of: ",\"row\":{"))
                #expect(String(line[..<tail.lowerBound]) + "}" == plain)
                let row = try require(object(line)["row"] as? [String: String])
                #expect(row.keys.sorted() == columns)
                fromKeys.append("{\"seq\":\(try seq(line)),\"kind\":\"row\"" + line[tail.lowerBound...])
            }
            for random in [false, true] {
                let command = ["compare"] + stage + ["--pairs", file] + (random ? ["--random"] : [])
                let whole = try step(command, header: header, rows: rows, in: dir)
                let fromCut = try step(command, header: header, rows: cut, in: dir)
                #expect(whole.count == pairs.count)
                #expect(Set(try whole.map { try require(object($0)["pattern"] as? String) }).count > 3)
                #expect(fromCut == whole)
                #expect(try step(command, header: header, rows: fromKeys, in: dir) == whole)
            }
        }
    }

    /// Rows joined by links, each under the smallest seq of its group.
    struct Components {
        var parent: [Int: Int] = [:]
        func find(_ x: Int) -> Int {
            var x = x
            while let p = parent[x], p != x { x = p }
            return x
        }
        mutating func join(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
    }

    func chain(in dir: TemporaryDirectory) throws {
        do {
            try DedupeDeterminismCLITests.generatedList(rows: 3000, in: dir)
            let single = try ProcessRunner.leadhygiene(["run", "p.yml", "--now", Self.now, "--quiet"], in: dir.url)
            #expect(single.status == 0, "\(single.stderr)")

            // normalize (stage 1) as a segment, then dedupe (stage 2) step by step.
            let encoded = try ProcessRunner.leadhygiene(["envelope", "encode", "p.yml"], in: dir.url).stdout
            let first = try ProcessRunner.leadhygiene(["run", "p.yml", "--envelope", "--stages", "1-1", "--now", Self.now],
                                                      stdin: encoded, in: dir.url)
            #expect(first.status == 0, "\(first.stderr)")
            let firstLines = lines(first.stdout)
            var described = try object(lines(encoded)[0])
            described["row_columns"] = try object(firstLines[0])["columns"]
            let header = String(decoding: try JSONSerialization.data(withJSONObject: described), as: UTF8.self)
            let rows = firstLines.filter { $0.contains(",\"kind\":\"row\",") }
            var rowOf: [Int: String] = [:]
            for row in rows { rowOf[try seq(row)] = row }
            let stage = ["p.yml", "--stage", "2"]

            // keys, in two slices.
            var keyed: [[String: Any]] = []
            var maxSizes: [Int] = []
            for part in [rows.enumerated().filter { $0.offset % 2 == 0 }, rows.enumerated().filter { $0.offset % 2 == 1 }] {
                let out = try step(["keys"] + stage, header: header, rows: part.map(\.element), in: dir)
                maxSizes = try require(object(out[0])["max_block_sizes"] as? [Int])
                keyed += try out.dropFirst().map(object)
            }
            #expect(keyed.count == rows.count)
            let fieldCount = try require(keyed.first?["values"] as? [Any]).count
            var nonNull = [Int](repeating: 0, count: fieldCount)
            var counts = [[String: Int]](repeating: [:], count: fieldCount)
            var blocks = [[String: [Int]]](repeating: [:], count: maxSizes.count)
            for row in keyed {
                let s = try require(row["seq"] as? Int)
                for (f, value) in (row["values"] as? [Any] ?? []).enumerated() {
                    guard let key = value as? String else { continue }
                    nonNull[f] += 1
                    counts[f][key, default: 0] += 1
                }
                for (r, value) in (row["keys"] as? [Any] ?? []).enumerated() {
                    if let key = value as? String { blocks[r][key, default: []].append(s) }
                }
            }
            var oversized = [[String]](repeating: [], count: maxSizes.count)
            var candidates: [[Int]: Int] = [:]
            for (r, rule) in blocks.enumerated() {
                for (key, members) in rule {
                    if members.count > maxSizes[r] { oversized[r].append(key); continue }
                    let sorted = members.sorted()
                    for i in sorted.indices { for j in (i + 1)..<sorted.count { candidates[[sorted[i], sorted[j]], default: 0] |= 1 << r } }
                }
            }
            let candidatePairs = candidates.keys.sorted { $0.lexicographicallyPrecedes($1) }
            #expect(candidatePairs.count > 100)

            // The two histograms: candidate pairs by pattern and rules, random pairs (drawn by row index) by pattern.
            var histogram: [String: Int] = [:]
            for compared in try pairwise(["compare"] + stage, candidatePairs.map { ($0[0], $0[1]) }, rowOf: rowOf, header: header, in: dir) {
                // Each slice hands back its own pairs: the rules that block a pair are found by its rows.
                let a = try require(compared["a"] as? Int), b = try require(compared["b"] as? Int)
                let pattern = try require(compared["pattern"] as? String)
                let rules = try require(candidates[[a, b]])
                histogram["{\"pattern\":\"\(pattern)\",\"rules\":\(rules)", default: 0] += 1
            }
            let headerFile = try dir.write("header.jsonl", header + "\n")
            // sample reads only the header (from --input): nothing on its standard input.
            let sampled = try ProcessRunner.leadhygiene(["dedupe", "sample"] + stage + ["--rows", String(rows.count), "--input", headerFile],
                                                        in: dir.url)
            #expect(sampled.status == 0, "\(sampled.stderr)")
            let drawn = lines(sampled.stdout)
            let bySeq = rowOf.keys.sorted()
            let randomPairs: [(a: Int, b: Int)] = try drawn.map { line in
                let xy = try require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Int])
                return (bySeq[xy[0]], bySeq[xy[1]])
            }
            #expect(randomPairs.count >= 1000)
            for compared in try pairwise(["compare"] + stage + ["--random"], randomPairs, rowOf: rowOf, header: header, in: dir) {
                let pattern = try require(compared["pattern"] as? String)
                histogram["{\"random\":\"\(pattern)\"", default: 0] += 1
            }
            let fit = try ProcessRunner.leadhygiene(["dedupe", "fit"] + stage + ["--rows", String(rows.count), "--input", headerFile],
                                                    stdin: histogram.map { "\($0.key),\"count\":\($0.value)}\n" }.joined(), in: dir.url)
            #expect(fit.status == 0, "\(fit.stderr)")
            _ = try dir.write("model.json", fit.stdout)
            let globals: [String: Any] = ["rows": rows.count, "nonNull": nonNull,
                                          "counts": counts.map { $0.filter { $0.value > 1 } }, "oversized": oversized]
            _ = try dir.write("globals.json", String(decoding: try JSONSerialization.data(withJSONObject: globals), as: UTF8.self))

            // Links, their connected components, and the stage on whole components in two slices.
            let links = try pairwise(["score"] + stage + ["--model", "model.json", "--globals", "globals.json"],
                                     candidatePairs.map { ($0[0], $0[1]) }, rowOf: rowOf, header: header, in: dir)
            #expect(links.count > 50)
            var components = Components()
            for link in links { components.join(try require(link["a"] as? Int), try require(link["b"] as? Int)) }
            let groups = components
            var envelopes: [[String: Any]] = []
            let cluster = ["dedupe", "cluster"] + stage + ["--model", "model.json", "--globals", "globals.json", "--now", Self.now]
            let slices = try (0..<2).map { part in try rows.filter { try groups.find(seq($0)) % 2 == part } }
            for (part, mine) in slices.enumerated() {
                let result = try ProcessRunner.leadhygiene(cluster + ["--entities", "entities-\(part).jsonl"],
                                                           stdin: ([header] + mine).map { $0 + "\n" }.joined(), in: dir.url)
                #expect(result.status == 0, "\(result.stderr)")
                envelopes += try lines(result.stdout).map(object)
            }
            try entitiesNamedAgain(slices: slices, header: header, cluster: cluster, in: dir)
            let outHeader = try require(envelopes.first { $0["kind"] as? String == "header" })
            func text(_ kind: String) -> String {
                envelopes.filter { $0["kind"] as? String == kind }.sorted { ($0["seq"] as? Int ?? 0) < ($1["seq"] as? Int ?? 0) }
                    .map { $0["text"] as? String ?? "" }.joined()
            }
            let merged = text("merged")
            #expect(merged.split(separator: "\n").count > 100)
            #expect((outHeader["merged"] as? String ?? "") + merged == (try dir.read("out/merged.csv")))
            #expect((outHeader["output"] as? String ?? "") + text("row") == (try dir.read("out/clean.csv")))
        }
    }

    /// The slices' entities named again over both (`dedupe assign`) keep the IDs their slices gave (whole components
    /// and no store: nothing to name otherwise), one per entity of the one-machine run; and a slice given IDs
    /// (`dedupe cluster --entity-ids`, as the driver runs a task again) writes those on its entities' rows.
    func entitiesNamedAgain(slices: [[String]], header: String, cluster: [String], in dir: TemporaryDirectory) throws {
        let reported = try (0..<2).flatMap { try lines(dir.read("entities-\($0).jsonl")) }.map(object)
        let single = try object(dir.read("out/report.json"))
        let dedupe = try require((single["stages"] as? [[String: Any]])?.first { $0["name"] as? String == "dedupe" })
        #expect(reported.count == (try require((dedupe["summary"] as? [String: Any])?["entities"] as? Int)))
        #expect(reported.reduce(0) { $0 + ($1["size"] as? Int ?? 0) } == slices.joined().count)
        _ = try dir.write("entities.jsonl", try (0..<2).map { try dir.read("entities-\($0).jsonl") }.joined())
        let assigned = try ProcessRunner.leadhygiene(["dedupe", "assign", "p.yml", "--entities", "entities.jsonl"], in: dir.url)
        #expect(assigned.status == 0, "\(assigned.stderr)")
        #expect(assigned.stdout.isEmpty)

        let firstSlice = try lines(dir.read("entities-0.jsonl")).map(object)
        let chosen = try require(firstSlice.first { ($0["size"] as? Int ?? 0) >= 2 })
        let first = try require(chosen["first"] as? Int), given = "E0123456789ab"
        _ = try dir.write("ids.jsonl", "{\"first\":\(first),\"id\":\"\(given)\"}\n")
        let again = try ProcessRunner.leadhygiene(cluster + ["--entity-ids", "ids.jsonl", "--entities", "again.jsonl"],
                                                  stdin: ([header] + slices[0]).map { $0 + "\n" }.joined(), in: dir.url)
        #expect(again.status == 0, "\(again.stderr)")
        let carrying = try lines(again.stdout).map(object).filter { ($0["row"] as? [String: Any])?["entity_id"] as? String == given }
        #expect(carrying.count == chosen["size"] as? Int)
        #expect(try carrying.map { try require($0["seq"] as? Int) }.min() == first)
        let renamed = try lines(dir.read("again.jsonl")).map(object)
        #expect(renamed.filter { $0["id"] as? String == given }.map { $0["first"] as? Int } == [first])
        #expect(renamed.count == firstSlice.count)
    }
}
