import Foundation
import LeadFacts
import LeadRecords
import PipelineSpec

extension DecayStage {
    /// decay with a store over one run, chunk by chunk: the executor runs its steps (``InOrderPass``) so that what
    /// depends on input order sees the chunks in that order, and nothing holds the list.
    ///
    /// - ``prepare(_:)`` (any thread): each row's key and its place among last run's snapshots.
    /// - ``admit(_:)`` (in order): which rows are the first with their key. Only the first row with a key is
    ///   snapshotted, so only it is compared with last run's snapshot: a later duplicate (no dedupe in the
    ///   pipeline) would otherwise show as a change. Decided before any row of the chunk is compared.
    /// - ``process(_:admitted:)`` (any thread): comparison, assessment, the decay columns.
    /// - ``absorb(_:_:)`` (in order): the counts, and this chunk's snapshots and enrichment values to the store's
    ///   staging, before a later stage changes the rows.
    /// - ``finish()``: the leads no row had (vanished), the run's facts, and the staged run handed on.
    public final class StorePass: InOrderPass, @unchecked Sendable {
        // Unchecked: `admit` and `absorb` each run for one chunk at a time (the executor's turnstiles) and touch
        // disjoint properties; `prepare` and `process` read only the `let`s.
        let bound: Bound
        let leadHistory: any LeadHistory
        let extractor: SnapshotExtractor
        let history: RunHistory
        let readSeconds: Double
        private let keeping: any LeadRunKeeping
        private var findings = HistoryFindings()

        // What `admit` keeps. The keys this run has: last run's by their position there, the others in a set. A set
        // of every key held about 100 MB at a million leads, most of them last run's.
        private var seenPrevious: [Bool]
        private var seenNew = Set<String>()
        private var newLeads = 0

        // What `absorb` keeps.
        private var counts = DecayCounts()
        private var compared = 0
        private var checksum = ContentHash()
        private var rowsIn = 0, active = 0, rejected = 0, merged = 0
        private var storeSeconds = 0.0

        init(bound: Bound, leadHistory: any LeadHistory, extractor: SnapshotExtractor, expectedRows: Int?) throws {
            let progress = bound.progress
            progress.phase("loading the last run from the store")
            let readClock = MonotonicClock.now()
            let history = try RunHistory.load(from: leadHistory, pipeline: bound.historyName)
            readSeconds = MonotonicClock.seconds(since: readClock)
            let clock = MonotonicClock.now()
            keeping = try leadHistory.beginKeeping(extractor: extractor)
            storeSeconds = MonotonicClock.seconds(since: clock)
            self.bound = bound
            self.leadHistory = leadHistory
            self.extractor = extractor
            self.history = history
            seenPrevious = [Bool](repeating: false, count: history.previous.positionCount)
            if let run = history.previousRun {
                findings.previousRunID = run.id
                findings.previousReferenceTime = run.referenceTime
                (findings.previousStatus, findings.previousReasons) = DecayCounts.parse(summaryJSON: run.summaryJSON)
            }
            progress.phase(history.previousRun == nil ? "scoring (no earlier run to compare with)" : "comparing with last run",
                           done: 0, of: expectedRows)
        }

        /// A row's key as ``admit(_:)`` needs it.
        public enum PreparedRow: Sendable {
            /// Merged, or nothing stable to key on: not snapshotted, never compared.
            case unkeyed
            /// A key last run had, at this position among its snapshots.
            case previous(Int)
            /// A key last run did not have.
            case new(String)
        }

        /// Whether a row is the first with its key, and where last run's snapshot of that key is.
        public enum RowAdmission: Sendable {
            case notFirst
            case first(previousAt: Int?)
        }

        /// What a chunk's processing counted: its figures, each assessed row's score in input order (the mean
        /// score sums them in input order, as one pass over the list did), and the rows compared; and the chunk's
        /// rows for the store, encoded (``LeadRunKeeping/prepare(_:)``).
        public struct Processed: Sendable {
            var counts: DecayCounts
            var scores: [Double]
            var compared: Int
            var kept: (any Sendable)?
        }

        public func prepare(_ records: [Record]) -> [PreparedRow] {
            records.map { record in
                if case .merged = record.disposition { return .unkeyed }
                guard let key = extractor.entityKey.key(of: record) else { return .unkeyed }
                if let position = history.previous.position(of: key) { return .previous(position) }
                return .new(key)
            }
        }

        public func admit(_ prepared: [PreparedRow]) -> [RowAdmission] {
            prepared.map { row in
                switch row {
                case .unkeyed:
                    return .notFirst
                case .previous(let position):
                    guard !seenPrevious[position] else { return .notFirst }
                    seenPrevious[position] = true
                    return .first(previousAt: position)
                case .new(let key):
                    guard seenNew.insert(key).inserted else { return .notFirst }
                    if history.previousRun != nil { newLeads += 1 }
                    return .first(previousAt: nil)
                }
            }
        }

        public func process(_ records: inout [Record], admitted: [RowAdmission]) -> Processed {
            var processed = Processed(counts: DecayCounts(), scores: [], compared: 0, kept: nil)
            processed.scores.reserveCapacity(records.count)
            let writer = bound.columnWriter()
            for i in records.indices where records[i].isActive {
                var changes: [ReasonCode] = []
                // Active and keyed, so it has a snapshot: compared field by field from its bytes.
                if case .first(let previousAt?) = admitted[i] {
                    changes = history.changes(of: records[i], extractor: extractor, previousAt: previousAt, companyKey: bound.companyKey)
                    processed.compared += 1
                }
                processed.scores.append(bound.assess(&records[i], changes: changes, counts: &processed.counts, writer: writer))
            }
            processed.counts.scoreSum = 0
            // The rows as `absorb` sees them (no stage runs in between): encoded here, on this chunk's thread.
            processed.kept = keeping.prepare(records)
            return processed
        }

        public func absorb(_ records: [Record], _ processed: Processed) throws {
            counts.add(processed.counts)
            for score in processed.scores { counts.scoreSum += score }
            compared += processed.compared
            // Under the runner the run row's checksum is the input file's, taken by the runner.
            let recordsRunItself = leadHistory.recordsRunItself
            for record in records {
                if recordsRunItself { for c in 0..<bound.inputColumnCount { checksum.combine(record.fields[c]) } }
                switch record.disposition {
                case .active: active += 1
                case .rejected: rejected += 1
                case .merged: merged += 1
                }
            }
            rowsIn += records.count
            let clock = MonotonicClock.now()
            if let kept = processed.kept { try keeping.add(prepared: kept) }
            storeSeconds += MonotonicClock.seconds(since: clock)
            bound.progress.update(done: rowsIn)
        }

        public func finish() throws -> DecaySummary {
            let progress = bound.progress
            progress.phase("listing vanished leads")
            var findings = self.findings
            findings.compared = compared
            findings.newLeads = newLeads
            history.previous.forEachEntity { key, position in
                guard !seenPrevious[position] else { return }
                findings.vanished += 1
                findings.vanishedSample.append((key, history.previous.text(.email, at: position), history.previous.line(at: position)))
            }
            findings.vanishedSample.sort { ($0.line, $0.entityID) < ($1.line, $1.entityID) }
            findings.vanishedSample = Array(findings.vanishedSample.prefix(bound.vanishedSampleSize))

            progress.phase(leadHistory.recordsRunItself ? "recording the run in the store" : "staging this run's snapshots for the store")
            let clock = MonotonicClock.now()
            let run = LeadRunFacts(history: bound.historyName, summaryJSON: counts.summaryJSON,
                                   inputChecksum: leadHistory.recordsRunItself ? checksum.hex : "", referenceTime: bound.referenceTime,
                                   startedAt: bound.startedAt, rowsIn: rowsIn, rowsActive: active, rowsRejected: rejected,
                                   rowsMerged: merged, jobs: bound.jobs)
            findings.kept = try keeping.finish(run)
            findings.storeSeconds = storeSeconds + MonotonicClock.seconds(since: clock)
            findings.storeReadSeconds = readSeconds
            var summary = DecaySummary()
            summary.counts = counts
            summary.history = findings
            return summary
        }
    }
}
