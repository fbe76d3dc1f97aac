import PipelineSpec

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

/// A lead joined by company name, for the report's sample of the weakest accepted matches.
struct NameMatchSample: Sendable {
    var line: Int
    var leadName: String
    var referenceName: String
    var source: String
    var kind: NameJoinIndex.Kind
    var score: Double

    var report: ReportValue {
        .object([("line", .integer(line)), ("lead_name", .string(leadName)), ("reference_name", .string(referenceName)),
                 ("source", .string(source)), ("match", .string(kind.rawValue)), ("score", .number(Self.rounded(score)))])
    }

    static func rounded(_ score: Double) -> Double { (score * 1000).rounded() / 1000 }
}

/// A lead left unjoined because two or more reference companies fit its name equally well.
struct AmbiguousName: Sendable {
    var line: Int
    var leadName: String
    /// `name (source)` of each candidate company.
    var candidates: [String]
    var reason: Reason

    enum Reason: String, Sendable {
        /// One source holds the name under two or more domains: two companies of one name.
        case sameNameDifferentDomains = "same_name_different_domains"
        /// Two or more companies pair with the name with as many typing errors and the same score.
        case equallyNear = "equally_near"
    }

    var report: ReportValue {
        .object([("line", .integer(line)), ("lead_name", .string(leadName)),
                 ("candidates", .array(candidates.map(ReportValue.string))), ("reason", .string(reason.rawValue))])
    }
}

/// Accepted name-match scores counted in fixed bands, so a user sees where the threshold bites.
struct NameScoreBands: Sendable {
    /// Lower edges, highest first; a score falls in the first band whose edge it reaches.
    static let edges: [(label: String, lowest: Double)] = [
        ("1", 1), ("0.98-1", 0.98), ("0.95-0.98", 0.95), ("0.92-0.95", 0.92), ("0.90-0.92", 0.90), ("0.85-0.90", 0.85),
        ("below_0.85", -.infinity),
    ]
    var counts = [Int](repeating: 0, count: edges.count)

    mutating func add(_ score: Double) {
        counts[Self.edges.firstIndex { score >= $0.lowest }!] += 1
    }

    mutating func add(_ other: NameScoreBands) { for i in counts.indices { counts[i] += other.counts[i] } }

    var report: ReportValue { .object(zip(Self.edges, counts).map { ($0.label, .integer($1)) }) }
}

/// Counts one chunk (or the whole run) adds to the report.
public struct MergeCounts: StageSummary {
    static let sampleLimit = 20

    var matchedByDomain = 0
    var matchedByName = 0
    var unmatched = 0
    var withoutKey = 0
    /// Leads whose name fits two or more reference companies equally well, left unjoined.
    var ambiguous = 0
    var ambiguousSample: [AmbiguousName] = []
    /// Leads joined by name, per ``NameJoinIndex/Kind`` (exact key, same words, typo), and their scores.
    var nameKinds: [NameJoinIndex.Kind: Int] = [:]
    var nameScores = NameScoreBands()
    /// The accepted name matches with the lowest scores (then lowest lines), whatever the parallelism.
    var weakestNames: [NameMatchSample] = []
    var matchedPerSource: [Int]
    var fromReference: [Int]
    var conflicts: [Int]
    var overwritten: [Int]
    /// Per field: rows that held a value before the stage wrote, and after (the enrichment fill rate).
    var filledBefore: [Int]
    var filledAfter: [Int]
    /// The conflicts with the lowest line numbers, so the sample is the same whatever the parallelism.
    var sample: [MergeConflict] = []

    init(sources: Int, fields: Int) {
        matchedPerSource = Array(repeating: 0, count: sources)
        fromReference = Array(repeating: 0, count: fields)
        conflicts = Array(repeating: 0, count: fields)
        overwritten = Array(repeating: 0, count: fields)
        filledBefore = Array(repeating: 0, count: fields)
        filledAfter = Array(repeating: 0, count: fields)
    }

    mutating func note(_ conflict: MergeConflict) {
        if sample.count < Self.sampleLimit {
            sample.append(conflict)
        } else if let worst = sample.indices.max(by: { sample[$0].line < sample[$1].line }),
                  sample[worst].line > conflict.line {
            sample[worst] = conflict
        }
    }

    mutating func note(_ match: NameMatchSample) {
        nameKinds[match.kind, default: 0] += 1
        nameScores.add(match.score)
        noteWeak(match)
    }

    private mutating func noteWeak(_ match: NameMatchSample) {
        func weaker(_ a: NameMatchSample, _ b: NameMatchSample) -> Bool { (a.score, a.line) < (b.score, b.line) }
        if weakestNames.count < Self.sampleLimit {
            weakestNames.append(match)
        } else if let strongest = weakestNames.indices.max(by: { weaker(weakestNames[$0], weakestNames[$1]) }),
                  weaker(match, weakestNames[strongest]) {
            weakestNames[strongest] = match
        }
    }

    mutating func note(_ name: AmbiguousName) {
        ambiguous += 1
        noteSample(name)
    }

    private mutating func noteSample(_ name: AmbiguousName) {
        if ambiguousSample.count < Self.sampleLimit {
            ambiguousSample.append(name)
        } else if let worst = ambiguousSample.indices.max(by: { ambiguousSample[$0].line < ambiguousSample[$1].line }),
                  ambiguousSample[worst].line > name.line {
            ambiguousSample[worst] = name
        }
    }

    public mutating func merge(_ other: MergeCounts) {
        ambiguous += other.ambiguous
        for name in other.ambiguousSample { noteSample(name) }
        for (kind, count) in other.nameKinds { nameKinds[kind, default: 0] += count }
        nameScores.add(other.nameScores)
        for match in other.weakestNames { noteWeak(match) }
        matchedByDomain += other.matchedByDomain
        matchedByName += other.matchedByName
        unmatched += other.unmatched
        withoutKey += other.withoutKey
        for i in matchedPerSource.indices { matchedPerSource[i] += other.matchedPerSource[i] }
        for i in fromReference.indices {
            fromReference[i] += other.fromReference[i]
            conflicts[i] += other.conflicts[i]
            overwritten[i] += other.overwritten[i]
            filledBefore[i] += other.filledBefore[i]
            filledAfter[i] += other.filledAfter[i]
        }
        for conflict in other.sample { note(conflict) }
    }
}
