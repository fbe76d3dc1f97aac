import DecayStage
import Dispatch
import FirmographicMergeStage
import Foundation
import LeadFacts
import LeadHygiene
import LeadRecords
import LeadSampleGenerator
import PipelineFileLoading
import PipelineSpec
import RunStore

/// The merge, decay and store figures on seeded sample data.
struct MergeDecayFigures {
    let rows: Int
    let referenceRows: Int
    let jobs: Int
    /// Stop after the join figures (for profiling the join under callgrind).
    var joinOnly = false
    /// Print a hash of every value after each join and each decay week (records, report, stored
    /// snapshots), to check that a faster join or store writes the same output; adds a third decay
    /// week whose leads changed, so the comparison's change signals are in the digest too.
    var digest = false
    /// Skip the store's own figures (write, stage + commit, enrichment values, read): only the
    /// decay weeks, the path a weekly `leadhygiene run` takes.
    var decayOnly = false
    /// Only the held-out company-name case (precision and recall of the name join).
    var nameJoinOnly = false
    var nameJoinErrors = false
    /// The held-out name case's seed (`--name-seed`), to see that its figures hold on other draws.
    var nameSeed: UInt64 = 2024
    let seed: UInt64 = 42
    let now = ISO8601DateFormatter().date(from: "2026-11-23T00:00:00Z")!

    func run() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merge-decay-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try NameJoinFigures(leads: 20_000, seed: nameSeed, printErrors: nameJoinErrors).run(in: dir) { what, records, body in measure(what, records: records, body) }
        if nameJoinOnly { return }

        // Leads: in memory, as the executor holds them. The reference file: the same seed's companies
        // (a generator sized so ~90 % coverage gives `referenceRows`), so leads find their companies.
        // The generator formats dates with Foundation and makes ~25k rows/s, so beyond 100k rows the
        // sample is repeated with distinct lead ids and email local parts (same companies and domains).
        let baseRows = min(rows, 100_000)
        var generator = LeadSampleGenerator(.init(rows: baseRows, seed: seed))
        var schema = Schema(inputColumns: LeadSampleGenerator.leadColumns)
        var base: [[String]] = []
        generator.generate { row in if row.malformed == nil { base.append(row.values) } }
        var leads: [Record] = []
        leads.reserveCapacity(rows)
        let emailColumn = LeadSampleGenerator.leadColumns.firstIndex(of: "Email")!
        while leads.count < rows {
            let copy = leads.count / base.count
            for values in base where leads.count < rows {
                var values = values
                if copy > 0 {
                    values[0] += "-\(copy)"
                    values[emailColumn] = "r\(copy)." + values[emailColumn]
                }
                leads.append(Record(values: values, line: leads.count + 2))
            }
        }
        let referencePath = dir.appendingPathComponent("firmographics.csv").path
        var written = 0
        var text = LeadSampleGenerator.firmographicColumns.joined(separator: ",") + "\n"
        var referenceGenerator = LeadSampleGenerator(.init(rows: referenceRows * 12 * 10 / 9 + 12, seed: seed))
        referenceGenerator.firmographics { row in
            guard written < referenceRows else { return }
            text += row.map(LeadSampleGenerator.csvField).joined(separator: ",") + "\n"
            written += 1
        }
        try text.write(toFile: referencePath, atomically: true, encoding: .utf8)

        var columns = ColumnBindings()
        for (field, name) in [(CanonicalField.recordID, "Lead ID"), (.email, "Email"), (.firstName, "First Name"),
                              (.lastName, "Last Name"), (.title, "Title"), (.company, "Company"), (.website, "Website"),
                              (.lastVerifiedAt, "Last Verified At"), (.lastActivityAt, "Last Activity At")] {
            columns[field] = schema.index(of: name)
        }

        // firmographic_merge: loading the reference, then the join.
        let pipeline = try PipelineFileLoader(stages: StageRegistry.descriptors).decode("""
            input: { path: leads.csv }
            stages:
              - firmographic_merge:
                  sources: [{ name: sample, path: \(referencePath), as_of: 2026-10-01 }]
            """, file: "bench.yml")
        let mergeOptions = pipeline.stages[0].options
        let context = StageContext(pipelineFile: "bench.yml", now: now, jobs: jobs)
        FileHandle.standardError.write(Data(String(format: "  rss before loading the reference: %.0f MB\n", ResidentMemory.current().residentMiB).utf8))
        let merge0 = try measure("firmographic_merge load+index reference", records: written) {
            try FirmographicMergeStage(options: mergeOptions, context: context)
        }
        FileHandle.standardError.write(Data(String(format: "  rss with the reference loaded: %.0f MB\n", ResidentMemory.current().residentMiB).utf8))
        let boundMerge = try Self.streaming(merge0.bound(schema: &schema, columns: columns))
        let decay = try DecayStage(options: OptionValues(schema: DecayStage.descriptor.options), context: context)
        let boundDecay = try Self.streaming(decay.bound(schema: &schema, columns: columns))
        let width = schema.count
        for i in leads.indices { leads[i].values.append(contentsOf: repeatElement("", count: width - leads[i].values.count)) }

        // The executor hands stages chunks it already holds, so the leads are cut into chunks once,
        // outside the timings, and `leads` lets go of them: a record shared with another array would
        // be copied on the stage's first write, which the pipeline never pays.
        let leadCount = leads.count
        var chunks = Self.chunks(of: leads)
        leads = []
        // What the benchmark itself holds before the join (leads, reference, generator), so the
        // join's peak RSS can be told apart from it.
        FileHandle.standardError.write(Data(String(format: "  rss before the join: %.0f MB\n", ResidentMemory.current().residentMiB).utf8))
        measure("firmographic_merge domain join (\(jobs) jobs)", records: leadCount) {
            parallelChunks(&chunks) { boundMerge.process(&$0) }
        }
        printDigest("15 fields", chunks)
        // The same join merging three fields instead of all fifteen: how much is join, how much is copying values.
        let threeFields = try PipelineFileLoader(stages: StageRegistry.descriptors).decode("""
            input: { path: leads.csv }
            stages:
              - firmographic_merge:
                  sources: [{ name: sample, path: \(referencePath), as_of: 2026-10-01 }]
                  fields: { industry: {}, employee_range: {}, hq_country: {} }
            """, file: "bench.yml")
        let narrow = try FirmographicMergeStage(options: threeFields.stages[0].options, context: context)
        var narrowSchema = schema
        let boundNarrow = try Self.streaming(narrow.bound(schema: &narrowSchema, columns: columns))
        measure("firmographic_merge domain join, 3 fields (\(jobs) jobs)", records: leadCount) {
            parallelChunks(&chunks) { boundNarrow.process(&$0) }
        }
        printDigest("3 fields", chunks)
        let matchColumn = narrowSchema.index(of: "firmo_match")!
        let matched = chunks.reduce(0) { $0 + $1.filter { $0[matchColumn] == "domain" }.count }
        FileHandle.standardError.write(Data("  matched_by_domain: \(matched) of \(leadCount)\n".utf8))
        if joinOnly { return }

        measure("decay per-record (\(jobs) jobs)", records: leadCount) {
            parallelChunks(&chunks) { boundDecay.process(&$0) }
        }
        leads = chunks.flatMap { $0 }
        chunks = []

        if !decayOnly { try storeFigures(leads, schema: schema, columns: columns, in: dir) }

        // decay with the store, as `leadhygiene run` does it: whole list, last week's snapshots read, this
        // week's staged, then the runner's commit. The store path (read + stage + commit) is printed apart.
        var storeContext = context
        let decayStorePath = dir.appendingPathComponent("decay-store.sqlite").path
        storeContext.storePath = decayStorePath
        var weekBytes: [Int] = []
        for week in 1...(digest ? 3 : 2) {
            let staging = RunStagingArea()
            storeContext.services = RunStoreCaches.services(storePath: decayStorePath, staging: staging)
            let built = try DecayStage(options: OptionValues(schema: DecayStage.descriptor.options), context: storeContext)
            var weekSchema = Schema(inputColumns: LeadSampleGenerator.leadColumns)
            let stage = try built.bound(schema: &weekSchema, columns: columns)
            var copy = leads.map { Record(values: Array($0.values.prefix(LeadSampleGenerator.leadColumns.count))
                                          + repeatElement("", count: weekSchema.count - LeadSampleGenerator.leadColumns.count), line: $0.line) }
            if week == 3 { copy = Self.changedWeek(copy, columns: columns) }
            // decay's read on its own (the stage does the same read again inside its run).
            let history = try RunStore(path: decayStorePath)
            let readStart = MonotonicClock.now()
            let previous = try history.latestRun(pipeline: "bench").map { try history.comparableSnapshots(runID: $0.id!).count } ?? 0
            let readSeconds = MonotonicClock.seconds(since: readStart)
            let figures = try measure("decay whole-list with store, week \(week) (compare + stage)", records: copy.count) {
                try stage.run(&copy)
            }
            guard let staged = staging.runs.first else { throw BenchError.nothingStaged }
            let run = RunRecord(pipeline: staged.pipeline, inputChecksum: "week \(week)", referenceTime: now, startedAt: Date(),
                                finishedAt: Date(), rowsIn: copy.count, rowsActive: copy.count, rowsRejected: 0, rowsMerged: 0)
            try measure("decay store commit, week \(week) (the runner's)", records: staged.stagedSnapshots) { try staged.commit(as: run) }
            let line = String(format: "decay store path, week %d\trecords=%d\tread_seconds=%.3f\tread_records=%d\tstage_seconds=%.3f"
                                  + "\tcommit_seconds=%.3f\tstore_path_seconds=%.3f\n",
                              week, copy.count, readSeconds, previous, staged.stagingSeconds, staged.commitSeconds,
                              readSeconds + staged.stagingSeconds + staged.commitSeconds)
            FileHandle.standardOutput.write(Data(line.utf8))
            if digest { try printDecayDigest(week: week, figures: figures, records: copy, storePath: decayStorePath) }
            if week <= 2 { weekBytes.append(try printStoreSize(week: week, records: copy.count, storePath: decayStorePath)) }
        }
        if weekBytes.count == 2 {
            FileHandle.standardOutput.write(Data(String(format: "store growth week 1 → week 2 (unchanged leads)\tstore_mb=%+.1f\n",
                                                        Double(weekBytes[1] - weekBytes[0]) / 1e6).utf8))
        }
    }

    /// The store's own figures: one run's snapshots written directly and staged, enrichment values, the read back.
    func storeFigures(_ leads: [Record], schema: Schema, columns: ColumnBindings, in dir: URL) throws {
        // The store: one run's snapshots and enrichment values in one transaction.
        let storePath = dir.appendingPathComponent("store.sqlite").path
        let store = try RunStore(path: storePath)
        let extractor = SnapshotExtractor(schema: schema, columns: columns)
        let run = RunRecord(pipeline: "bench", inputChecksum: "bench", referenceTime: now, startedAt: Date(), finishedAt: Date(),
                            rowsIn: leads.count, rowsActive: leads.count, rowsRejected: 0, rowsMerged: 0)
        let saved = try measure("store write snapshots (1 transaction)", records: leads.count) {
            try store.recordRun(run, snapshots: leads.lazy.compactMap { extractor.snapshot(of: $0) })
        }
        FileHandle.standardError.write(Data("  snapshots stored: \(saved.snapshotCount)\n".utf8))
        // The path `leadhygiene run` takes with decay: snapshots staged in files beside the store while the
        // list is in memory, then moved under the run row once the outputs are committed.
        // Decay stages the leads' enrichment values with them; the commit stores each distinct value and set once.
        let stagedStore = try RunStore(path: dir.appendingPathComponent("staged-store.sqlite").path)
        let allValues = leads.lazy.flatMap { record -> [EnrichmentValue] in
            guard let key = extractor.entityKey.key(of: record) else { return [] }
            return extractor.enrichments(of: record, entityID: key)
        }
        let stagedRun = try measure("store stage + commit snapshots and enrichment values (the runner's path)", records: leads.count) {
            let staged = try stagedStore.stageRun(pipeline: "bench", summaryJSON: "{}",
                                                  snapshots: leads.lazy.compactMap { extractor.snapshot(of: $0) },
                                                  enrichments: allValues)
            let saved = try staged.commit(as: run)
            FileHandle.standardError.write(Data(String(format: "  staging %.3f s, commit %.3f s\n", staged.stagingSeconds, staged.commitSeconds).utf8))
            return saved
        }
        FileHandle.standardError.write(Data("  snapshots stored: \(stagedRun.snapshotCount)\n".utf8))
        let stagedSize = try stagedStore.statistics().bytes
        FileHandle.standardOutput.write(Data(String(format: "store size after one run with enrichment values\trecords=%d\tstore_mb=%.1f\n",
                                                    leads.count, Double(stagedSize) / 1e6).utf8))
        // Enrichment values are ~15 rows per lead, so this figure uses the first 100k leads (with their
        // snapshots: a lead's values are shared through its run_lead row).
        let enriched = leads.prefix(100_000)
        let values = enriched.lazy.flatMap { record -> [EnrichmentValue] in
            guard let key = extractor.entityKey.key(of: record) else { return [] }
            return extractor.enrichments(of: record, entityID: key)
        }
        let valueCount = values.count
        try measure("store write enrichment values for \(enriched.count) leads (1 transaction, values)", records: valueCount) {
            try store.recordRun(run, snapshots: enriched.lazy.compactMap { extractor.snapshot(of: $0) }, enrichments: values)
        }
        try measure("store read previous run snapshots", records: saved.snapshotCount) {
            try store.snapshotsByEntity(runID: saved.id!).count
        }
        // What decay loads: only the compared fields, packed.
        try measure("store read previous run for comparison (decay's read)", records: saved.snapshotCount) {
            try store.comparableSnapshots(runID: saved.id!).count
        }

        if digest {
            var hash = ContentHash()
            let byEntity = try store.snapshotsByEntity(runID: saved.id!)
            for key in byEntity.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                Self.combine(byEntity[key]!, into: &hash)
            }
            FileHandle.standardError.write(Data("  digest of the snapshots read back by entity: \(hash.hex)\n".utf8))
        }
    }

    /// The decay store's size after a week, pruned to the last 2 runs as `store: { keep_runs: 2 }` does
    /// (week 2 leads are week 1's, unchanged: what sharing unchanged snapshots saves at best).
    @discardableResult
    func printStoreSize(week: Int, records: Int, storePath: String) throws -> Int {
        let store = try RunStore(path: storePath)
        try store.pruneRuns(pipeline: "bench", keepingLast: 2)
        let statistics = try store.statistics()
        let label = week == 1 ? "store size after week 1" : "store size after week 2 (keep_runs 2)"
        let line = String(format: "%@\trecords=%d\tstore_mb=%.1f\tbytes_per_record=%.0f\n", label, records,
                          Double(statistics.bytes) / 1e6, Double(statistics.bytes) / Double(max(records, 1)))
        FileHandle.standardOutput.write(Data(line.utf8))
        return statistics.bytes
    }

    /// Week 3's leads: some titles and companies changed, some leads gone, so every change signal fires.
    static func changedWeek(_ records: [Record], columns: ColumnBindings) -> [Record] {
        var changed: [Record] = []
        changed.reserveCapacity(records.count)
        for (i, record) in records.enumerated() where i % 97 != 0 {
            var record = record
            if i % 41 == 0, let title = columns[.title] { record.values[title.position] = "Senior " + record[title] }
            if i % 43 == 0, let title = columns[.title] { record.values[title.position] = record[title].uppercased() + "." }
            if i % 53 == 0, let company = columns[.company] { record.values[company.position] = "Other \(i % 1000) Corp" }
            if i % 59 == 0, let company = columns[.company] { record.values[company.position] = record[company] + " Inc." }
            changed.append(record)
        }
        return changed
    }

    /// A hash of one decay week's records, report (without timings) and the snapshots it stored.
    func printDecayDigest(week: Int, figures: [(String, ReportValue)], records: [Record], storePath: String) throws {
        var hash = ContentHash()
        for record in records {
            for value in record.values { hash.combine(value) }
            hash.combine("\(record.line) \(record.disposition)")
        }
        for (key, value) in figures {
            var value = value
            if case .object(let pairs) = value { value = .object(pairs.filter { $0.0 != "store_write_seconds" }) }
            hash.combine(key + " " + value.json())
        }
        let store = try RunStore(path: storePath)
        let run = try store.runs(pipeline: "bench").last!
        hash.combine("\(run.snapshotCount) \(run.rowsIn) \(run.rowsActive) \(run.rowsRejected) \(run.summaryJSON) \(run.inputChecksum)")
        for snapshot in try store.snapshots(runID: run.id!) { Self.combine(snapshot, into: &hash) }
        FileHandle.standardError.write(Data("  digest after decay week \(week): \(hash.hex)\n".utf8))
    }

    static func combine(_ s: LeadSnapshot, into hash: inout ContentHash) {
        for text in [s.entityID, String(s.line), s.email, s.firstName, s.lastName, s.title, s.company, s.domain, s.emailStatus,
                     s.webStatus, s.webRedirectDomain, s.decayStatus, s.decayScore.map { "\($0)" } ?? "nil", s.disposition] {
            hash.combine(text)
        }
    }

    func printDigest(_ what: String, _ chunks: [[Record]]) {
        guard digest else { return }
        var hash = ContentHash()
        for chunk in chunks {
            for record in chunk { for value in record.values { hash.combine(value) } }
        }
        FileHandle.standardError.write(Data("  digest after the join, \(what): \(hash.hex)\n".utf8))
    }

    /// Cuts records into chunks of the pipeline's default `chunk_size`.
    static func chunks(of records: [Record]) -> [[Record]] {
        let chunkSize = PipelineFile.defaultChunkSize
        return stride(from: 0, to: records.count, by: chunkSize).map { Array(records[$0..<min(records.count, $0 + chunkSize)]) }
    }

    /// Runs `body` on every chunk on `jobs` threads, each taking the next chunk, as the executor does.
    func parallelChunks(_ chunks: inout [[Record]], _ body: @escaping @Sendable (inout [Record]) -> Void) {
        let chunkCount = chunks.count
        let next = Counter()
        chunks.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let shared = buffer
            DispatchQueue.concurrentPerform(iterations: jobs) { _ in
                while true {
                    let i = next.take()
                    guard i < chunkCount else { return }
                    body(&shared[i])
                }
            }
        }
    }

    /// A bound stage the bench runs chunk by chunk itself.
    static func streaming(_ stage: BoundStage) throws -> any StreamingStage {
        guard case .streaming(let streaming) = stage else { throw OptionProblem("the bench runs this stage per chunk") }
        return streaming
    }

    @discardableResult
    func measure<T>(_ what: String, records: Int, _ body: () throws -> T) rethrows -> T {
        let start = MonotonicClock.now()
        let cpuStart = cpuSeconds()
        let result = try body()
        let seconds = MonotonicClock.seconds(since: start)
        // CPU seconds too: on a shared machine wall time says as much about the neighbours as about us.
        let line = String(format: "%@\trecords=%d\tseconds=%.3f\trecords_per_s=%.0f\tpeak_rss_mb=%.0f\tcpu_seconds=%.3f\n",
                          what, records, seconds, Double(records) / seconds, ResidentMemory.peakMiB, cpuSeconds() - cpuStart)
        FileHandle.standardOutput.write(Data(line.utf8)) // unbuffered, so a long run shows each figure as it lands
        return result
    }

    /// User plus system CPU time of the whole process so far.
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

}

/// A shared chunk counter for the worker threads.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

/// The benchmark's setup went wrong.
enum BenchError: Error {
    /// decay ran with a store and a staging area but staged nothing.
    case nothingStaged
}
