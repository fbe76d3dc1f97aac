import DedupeStage
import Foundation
import LeadRecords
import LeadSampleGenerator
import ContactListGenerator
import PipelineSpec
import LeadFacts

/// Generated B2B leads (the `lead-sample` generator, seeded) with their true entities, as records
/// bound to canonical fields the way a pipeline file's `columns:` would bind them.
struct GeneratedLeads {
    var schema: Schema
    var records: [Record]
    var truth: [String]
    var bindings: ColumnBindings
    /// What the bench prints for the list ("leads", "contacts", or the file name).
    var name = "leads"

    /// Which generator made the list: its columns and how they bind to canonical fields.
    enum Generator: String {
        /// `lead-sample` (the generator the stage was developed on).
        case leadSample = "leads"
        /// `contact-list`, the independent one (Zipf accounts, home cities, per-account email patterns).
        case contactList = "contacts"

        var columns: [String] {
            switch self {
            case .leadSample: LeadSampleGenerator.leadColumns
            case .contactList: ContactListGenerator.columns
            }
        }

        var fields: [(String, CanonicalField)] {
            switch self {
            case .leadSample:
                [("Lead ID", .recordID), ("First Name", .firstName), ("Last Name", .lastName), ("Email", .email), ("Title", .title),
                 ("Company", .company), ("Website", .website), ("Phone", .phone), ("Country", .country), ("City", .city),
                 ("Source", .source), ("Last Verified At", .lastVerifiedAt), ("Last Activity At", .lastActivityAt)]
            case .contactList:
                [("Contact ID", .recordID), ("First", .firstName), ("Last", .lastName), ("E-mail Address", .email),
                 ("Job Title", .title), ("Account", .company), ("Account Website", .website), ("Phone", .phone),
                 ("City", .city), ("Country", .country), ("LinkedIn", .linkedinURL)]
            }
        }

        /// The width of a row once `dedupe: {}` has added its columns.
        var outputWidth: Int {
            var schema = Schema(inputColumns: columns)
            let stage = try! DedupeStage(options: OptionValues(schema: DedupeStage.descriptor.options),
                                         context: StageContext(pipelineFile: "bench"))
            _ = try! stage.bind(schema: &schema, columns: bindings(schema))
            return schema.count
        }

        func bindings(_ schema: Schema) -> ColumnBindings {
            var bindings = ColumnBindings()
            for (column, field) in fields { bindings[field] = schema.index(of: column) }
            return bindings
        }
    }

    /// Loads the list from `cache` when a previous run saved it there, else generates it and saves it
    /// (the generator takes minutes at a million rows; the dedupe stage is what is measured).
    init(_ generator: Generator, rows: Int, seed: UInt64, problemRate: Double?, cache: String?) {
        let width = generator.outputWidth
        if let cache, let text = try? String(contentsOfFile: cache, encoding: .utf8) {
            var records: [Record] = [], truth: [String] = []
            for (i, line) in text.split(separator: "\n").enumerated() {
                var fields = line.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                truth.append(fields.removeLast())
                records.append(Record(values: Self.padded(fields, width: width), line: i + 2))
            }
            self.init(generator, records: records, truth: truth)
            return
        }
        switch generator {
        case .leadSample: self.init(rows: rows, seed: seed, problemRate: problemRate, width: width)
        case .contactList:
            var contacts = ContactListGenerator(.init(rows: rows, seed: seed))
            var records: [Record] = [], truth: [String] = []
            for (i, row) in contacts.generate().enumerated() {
                records.append(Record(values: Self.padded(row.values, width: width), line: i + 2))
                truth.append(row.personID)
            }
            self.init(generator, records: records, truth: truth)
        }
        if let cache {
            var text = ""
            for (record, entity) in zip(records, truth) {
                text += (Array(record.values.prefix(generator.columns.count)) + [entity]).joined(separator: "\u{1F}") + "\n"
            }
            try? text.write(toFile: cache, atomically: true, encoding: .utf8)
        }
    }

    /// A row's values with room for the stage's columns, as the CLI's reader makes them
    /// (it pads every row to the run's final width, so stages fill their columns in place).
    static func padded(_ values: [String], width: Int) -> [String] {
        var row: [String] = []
        row.reserveCapacity(max(width, values.count))
        row.append(contentsOf: values)
        row.append(contentsOf: repeatElement("", count: max(0, width - values.count)))
        return row
    }

    init(_ generator: Generator, records: [Record], truth: [String]) {
        schema = Schema(inputColumns: generator.columns)
        name = generator.rawValue
        self.records = records
        self.truth = truth
        bindings = generator.bindings(schema)
    }

    init(rows: Int, seed: UInt64, problemRate: Double? = nil, width: Int) {
        var config = LeadSampleGenerator.Configuration(rows: rows, seed: seed)
        config.malformedRows = 0
        if let problemRate { config.problemRate = problemRate }
        var generator = LeadSampleGenerator(config)
        var records: [Record] = []
        var truth: [String] = []
        records.reserveCapacity(rows)
        truth.reserveCapacity(rows)
        var line = 2
        generator.generate { row in
            records.append(Record(values: Self.padded(row.values, width: width), line: line))
            truth.append(row.entityID)
            line += 1
        }
        self.init(.leadSample, records: records, truth: truth)
    }
}

/// Runs `dedupe: {}` on `rows` generated leads and prints the figures.
func runLeads(_ generator: GeneratedLeads.Generator, rows: Int, seed: UInt64, explain: Int, problemRate: Double?, cache: String?) throws {
    let generationStart = MonotonicClock.now()
    var leads = GeneratedLeads(generator, rows: rows, seed: seed, problemRate: problemRate, cache: cache)
    print(String(format: "  generated %d %@ in %.1f s (problem rate %@)", rows, generator.rawValue,
                 MonotonicClock.seconds(since: generationStart), problemRate.map { String($0) } ?? "default"))
    try dedupe(&leads, explain: explain)
}

/// Runs `dedupe: {}` on a lead list and prints the figures.
///
/// The list is taken `inout` so the stage owns the only copy of the records, as it does under the
/// executor: a second reference would make every annotated row a copy and count the input twice.
func dedupe(_ leads: inout GeneratedLeads, explain: Int) throws {
    let rows = leads.records.count
    // DEDUPE_BENCH_SET="cluster_coherence=0.3 threshold=0.95": numeric options for trying a default on every list.
    var given: [String: OptionValue] = [:]
    for setting in (ProcessInfo.processInfo.environment["DEDUPE_BENCH_SET"] ?? "").split(separator: " ") {
        let parts = setting.split(separator: "=")
        if parts.count == 2, let value = Double(parts[1]) {
            given[String(parts[0])] = value == value.rounded() && !parts[1].contains(".") ? .integer(Int(value)) : .number(value)
        }
    }
    var stage = try DedupeStage(options: OptionValues(schema: DedupeStage.descriptor.options, given: given),
                                context: StageContext(pipelineFile: "bench"))
    stage.keepsResolution = true
    let bound = try stage.bind(schema: &leads.schema, columns: leads.bindings)
    precondition(leads.records.allSatisfy { $0.values.count == leads.schema.count }, "rows are padded when loaded")
    let input = ResidentMemory.current()
    // The peak printed is the highest RSS while the stage runs (input included), not the loader's.
    let peakIsTheStages = ResidentMemory.resetPeak()
    print(String(format: "  input held in memory: %.0f MiB RSS before the stage (loading peaked at %.0f MiB; peak %@ to %.0f MiB)",
                 input.residentMiB, input.peakMiB, peakIsTheStages ? "reset" : "not reset", ResidentMemory.current().peakMiB))
    let start = MonotonicClock.now(), cpuStart = cpuSeconds()
    let run = try bound.processAll(&leads.records)
    let seconds = MonotonicClock.seconds(since: start), cpu = cpuSeconds() - cpuStart
    let peakAfterStage = ResidentMemory.current().peakMiB  // before the evaluation's own tables
    let entity = leads.schema.index(of: "entity_id")!
    let predicted = leads.records.map { $0[entity] }
    let e = PairwiseEvaluation(predicted: predicted, truth: leads.truth)
    let s = run.statistics
    print(String(format: "dedupe %@: %d records, %.3f s (%.2f CPU s), %.0f records/s, %d pairs compared, peak RSS %.0f MiB%@, precision %.4f recall %.4f F1 %.4f",
                 leads.name, rows, seconds, cpu, Double(rows) / seconds, s.pairsCompared, peakAfterStage,
                 peakIsTheStages ? "" : " (process peak, loading included)", e.precision, e.recall, e.f1))
    print("  phases (s, RSS MiB at the end / peak so far): " + run.phases.map {
        String(format: "%@ %.2f s %.0f/%.0f", $0.name, $0.seconds, $0.residentMiB, $0.peakMiB) }.joined(separator: ", "))
    print("  pairs by rule: " + s.pairsPerRule.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
          + "; oversized blocks: " + s.oversizedBlocksPerRule.map { "\($0.0)=\($0.1)" }.joined(separator: ", "))
    if let r = run.resolution {
        print("  links \(s.links), refused \(s.refusedLinks), prior \(s.prior), EM converged \(s.emConverged), fallbacks: "
              + (s.emFallbacks.isEmpty ? "none" : s.emFallbacks.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")))
        print("  weights: " + s.weights.map { "\($0.0)=" + $0.1.map { String(format: "%@:%.1f", $0.0, $0.1) }.joined(separator: "/") }.joined(separator: " "))
        guard explain > 0 else { return }
        // A sample of the mistakes, explained.
        var byTruth: [String: [Int]] = [:], byPredicted: [String: [Int]] = [:]
        for row in predicted.indices { byTruth[leads.truth[row], default: []].append(row); byPredicted[predicted[row], default: []].append(row) }
        func show(_ a: Int, _ b: Int, _ kind: String) {
            let x = leads.records[a].values.prefix(leads.schema.inputColumnCount).joined(separator: ","), y = leads.records[b].values.prefix(leads.schema.inputColumnCount).joined(separator: ",")
            let why = r.matcher.explain(a, b)
            print("  \(kind) \(x)\n        \(y)\n        \(why) p=\(String(format: "%.4f", why.probability))")
        }
        var shown = 0
        for rows in byTruth.values.sorted(by: { $0[0] < $1[0] }) where shown < explain {
            if let j = rows.dropFirst().first(where: { predicted[$0] != predicted[rows[0]] }) { show(rows[0], j, "missed"); shown += 1 }
        }
        shown = 0
        for rows in byPredicted.values.sorted(by: { $0[0] < $1[0] }) where shown < explain {
            if let j = rows.dropFirst().first(where: { leads.truth[$0] != leads.truth[rows[0]] }) { show(rows[0], j, "wrong"); shown += 1 }
        }
    }
}

/// User plus system CPU seconds of the process so far: on a shared machine a steadier figure than wall time.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
