import Foundation
import LeadRecords
import PipelineSpec

// The steps `leadhygiene dedupe …` asks for (``DedupeStepRequest``), on the rows this run read.
extension DedupeStage.Bound {
    /// Does `step` over the active rows and writes its lines; the rows themselves are left as they came.
    func process(step: DedupeStepRequest.Step, request: DedupeStepRequest, records: [Record], active: [Int],
                 readers: [String: ColumnReader]) throws -> DedupeRun {
        var out = StepLines(emit: request.emit)
        let lines = active.map { records[$0].line }
        func matcher(_ globals: DedupeGlobals? = nil) throws -> RecordMatcher {
            do { return try RecordMatcher(settings: settings, rowCount: active.count, readers: readers, globals: globals) } catch {
                throw OptionProblem(option: "blocking", error.description)
            }
        }
        func rows(of pairs: [LinePair]) throws -> [(Int, Int)] {
            var rowOfLine: [Int: Int] = [:]
            rowOfLine.reserveCapacity(lines.count)
            for (row, line) in lines.enumerated() { rowOfLine[line] = row }
            return try pairs.map { pair in
                guard let a = rowOfLine[pair.a], let b = rowOfLine[pair.b] else {
                    throw OptionProblem(option: "pairs", "pair \(pair.a) \(pair.b) names a line that is not among the rows given")
                }
                return (a, b)
            }
        }
        switch step {
        case .keys(let compactRows):
            let matcher = try matcher()
            // Options whose work needs every row in one process: a distributed run keeps such a stage in one task.
            let singleTask = [("review", reviewPath != nil), ("labels", labels != nil)].filter(\.1).map(\.0)
            let header: [String: Any] = [
                "kind": "keys", "rules": settings.blocking.map(\.text), "max_block_sizes": matcher.ruleMaxBlockSizes,
                "fields": settings.fields.map(\.name), "threshold": settings.threshold, "single_task_options": singleTask,
                // The only columns compare and score read: a distributed run ships rows to them with these alone.
                "columns": compareColumns.keys.sorted(),
            ]
            out.line(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
            let keys = matcher.portableBlockKeys()
            let compared = compareColumns.sorted { $0.key < $1.key }
            for row in active.indices {
                out.text("{\"seq\":\(lines[row]),\"keys\":[")
                for r in keys.indices {
                    if r > 0 { out.text(",") }
                    out.text(keys[r][row] == 0 ? "null" : "\"" + Hex.word(keys[r][row]) + "\"")
                }
                out.text("],\"values\":[")
                for (f, key) in matcher.valueKeys(row: row).enumerated() {
                    if f > 0 { out.text(",") }
                    out.text(key.map { "\"" + $0 + "\"" } ?? "null")
                }
                out.text("]")
                if compactRows {
                    // Last in the line, so a driver can take `"row":{…}` as it is, without decoding it.
                    out.text(",\"row\":{")
                    for (c, (name, column)) in compared.enumerated() {
                        if c > 0 { out.text(",") }
                        out.string(name)
                        out.text(":")
                        out.string(records[active[row]][column])
                    }
                    out.text("}")
                }
                out.text("}")
                out.end()
            }
        case .sample(let count):
            let streams = RecordMatcher.randomPairStreamCount(rows: count, settings: settings)
            guard count > 1 else { break }
            for t in 0..<streams {
                RecordMatcher.drawRandomPairs(rows: count, settings: settings, stream: t, streams: streams) { x, y in
                    out.text("[\(x),\(y)]")
                    out.end()
                }
            }
        case .compare(let pairs, let dependencies):
            let matcher = try matcher()
            for (pair, (a, b)) in zip(pairs, try rows(of: pairs)) {
                let pattern = matcher.pattern(a, b, dependencies: dependencies)
                out.text("{\"a\":\(pair.a),\"b\":\(pair.b),\"pattern\":\"\(Hex.word(pattern.bits))\"}")
                out.end()
            }
        case .fit(let candidates, let random, let count):
            let matcher = try matcher()
            let fitted = matcher.fit(candidates: candidates, random: random, rows: count)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            out.line(try encoder.encode(fitted))
        case .score(let pairs, let model, let globals):
            let matcher = try matcher(globals)
            try matcher.install(model)
            let bar = FellegiSunterModel.weight(probability: settings.threshold)
            for (pair, (a, b)) in zip(pairs, try rows(of: pairs)) {
                let weight = matcher.weight(a, b)
                guard weight >= bar else { continue }
                out.text("{\"a\":\(pair.a),\"b\":\(pair.b),\"weight\":\"\(Hex.word(weight.bitPattern))\"}")
                out.end()
            }
        case .cluster:
            preconditionFailure("cluster runs as the stage itself, with the fitted model")
        }
        out.flush()
        var run = DedupeRun()
        run.statistics.rowsCompared = active.count
        return run
    }
}

/// Lines collected in a buffer and handed on in large writes.
struct StepLines {
    let emit: @Sendable ([UInt8]) -> Void
    var buffer: [UInt8] = []

    mutating func text(_ text: String) { buffer.append(contentsOf: text.utf8) }
    /// `text` as a JSON string: quotes, backslashes and control characters escaped, everything else as it is.
    mutating func string(_ text: String) {
        buffer.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22, 0x5C:
                buffer.append(0x5C)
                buffer.append(byte)
            case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
            case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: buffer.append(byte)
            }
        }
        buffer.append(0x22)
    }
    mutating func line(_ data: Data) {
        buffer.append(contentsOf: data)
        end()
    }
    mutating func end() {
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }
    mutating func flush() {
        if !buffer.isEmpty { emit(buffer) }
        buffer.removeAll(keepingCapacity: true)
    }
}
