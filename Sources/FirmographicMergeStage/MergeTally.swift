import PipelineSpec
import Synchronization

/// A lead whose own value disagrees with a reference source, for the report's bounded sample.
struct MergeConflict: Sendable {
    var line: Int
    var field: String
    var leadValue: String
    var referenceValue: String
    var source: String
    /// `kept_lead_value` or `overwritten`.
    var resolution: String

    var report: ReportValue {
        .object([("line", .integer(line)), ("field", .string(field)), ("lead_value", .string(leadValue)),
                 ("reference_value", .string(referenceValue)), ("source", .string(source)),
                 ("resolution", .string(resolution))])
    }
}

/// Counts one chunk (or the whole run) adds to the report.
struct MergeCounts: Sendable {
    static let sampleLimit = 20

    var matchedByDomain = 0
    var matchedByName = 0
    var unmatched = 0
    var withoutKey = 0
    var matchedPerSource: [Int]
    var fromReference: [Int]
    var conflicts: [Int]
    var overwritten: [Int]
    /// The conflicts with the lowest line numbers, so the sample is the same whatever the parallelism.
    var sample: [MergeConflict] = []

    init(sources: Int, fields: Int) {
        matchedPerSource = Array(repeating: 0, count: sources)
        fromReference = Array(repeating: 0, count: fields)
        conflicts = Array(repeating: 0, count: fields)
        overwritten = Array(repeating: 0, count: fields)
    }

    mutating func note(_ conflict: MergeConflict) {
        if sample.count < Self.sampleLimit {
            sample.append(conflict)
        } else if let worst = sample.indices.max(by: { sample[$0].line < sample[$1].line }),
                  sample[worst].line > conflict.line {
            sample[worst] = conflict
        }
    }

    mutating func add(_ other: MergeCounts) {
        matchedByDomain += other.matchedByDomain
        matchedByName += other.matchedByName
        unmatched += other.unmatched
        withoutKey += other.withoutKey
        for i in matchedPerSource.indices { matchedPerSource[i] += other.matchedPerSource[i] }
        for i in fromReference.indices {
            fromReference[i] += other.fromReference[i]
            conflicts[i] += other.conflicts[i]
            overwritten[i] += other.overwritten[i]
        }
        for conflict in other.sample { note(conflict) }
    }
}

/// The run's counts, shared by the worker threads.
final class MergeTally: Sendable {
    let counts: Mutex<MergeCounts>

    init(sources: Int, fields: Int) { counts = Mutex(MergeCounts(sources: sources, fields: fields)) }

    func add(_ chunk: MergeCounts) { counts.withLock { $0.add(chunk) } }
    var snapshot: MergeCounts { counts.withLock { $0 } }
}
