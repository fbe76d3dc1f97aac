import LeadRecords
import PipelineSpec

/// What the run report shows of a dedupe run beyond its counts: the largest clusters with a few of their
/// rows, and a few linked pairs explained field by field (the HTML report draws them as a waterfall).
/// Bounded whatever the list's size: 5 clusters of at most 5 rows, 3 pairs.
struct DedupeShowcase: Sendable {
    /// One row of a cluster: its input line and the values a person recognises it by.
    struct ClusterRow: Sendable {
        var line: Int
        var name: String
        var email: String
        var company: String
    }

    struct Cluster: Sendable {
        var entityID: String
        var size: Int
        var rows: [ClusterRow]
    }

    struct ExplainedPair: Sendable {
        var lines: (Int, Int)
        var explanation: MatchExplanation
    }

    static let clusterCount = 5
    static let rowsPerCluster = 5
    static let pairCount = 3

    var clusters: [Cluster] = []
    var pairs: [ExplainedPair] = []

    /// `largest_clusters` and `explained_pairs`, documented in docs/report.md.
    var report: [(String, ReportValue)] {
        let clusterValues: [ReportValue] = clusters.map { cluster in
            let rows: [ReportValue] = cluster.rows.map { row in
                .object([
                    ("line", .integer(row.line)), ("name", .string(row.name)), ("email", .string(row.email)),
                    ("company", .string(row.company)),
                ])
            }
            return .object([("entity_id", .string(cluster.entityID)), ("size", .integer(cluster.size)), ("rows", .array(rows))])
        }
        let pairValues: [ReportValue] = pairs.map { pair in
            let fields: [ReportValue] = pair.explanation.contributions.map { contribution in
                .object([
                    ("field", .string(contribution.field)), ("level", .string(contribution.level)),
                    ("weight", .number(Self.rounded(contribution.weight))),
                ])
            }
            return .object([
                ("lines", .array([.integer(pair.lines.0), .integer(pair.lines.1)])),
                ("prior_weight", .number(Self.rounded(pair.explanation.priorWeight))),
                ("total_weight", .number(Self.rounded(pair.explanation.weight))),
                ("match_probability", .number((pair.explanation.probability * 10_000).rounded() / 10_000)),
                ("fields", .array(fields)),
            ])
        }
        return [("largest_clusters", .array(clusterValues)), ("explained_pairs", .array(pairValues))]
    }

    private static func rounded(_ weight: Double) -> Double { (weight * 100).rounded() / 100 }
}

extension DedupeStage.Bound {
    /// The largest entities (ties: the earliest first) with their first rows, and for the three largest, the
    /// first row explained against its best partner. Call before merge mode rewrites the rows.
    func showcase(
        members: EntityMembers, entityIDs: [String], records: [Record], active: [Int],
        resolution: EntityResolution
    ) -> DedupeShowcase {
        var largest: [(entity: Int, size: Int)] = []
        for e in 0..<members.count where members[e].count > 1 {
            largest.append((e, members[e].count))
            if largest.count > DedupeShowcase.clusterCount * 4 {
                largest.sort { $0.size != $1.size ? $0.size > $1.size : $0.entity < $1.entity }
                largest.removeLast(largest.count - DedupeShowcase.clusterCount)
            }
        }
        largest.sort { $0.size != $1.size ? $0.size > $1.size : $0.entity < $1.entity }
        // A field's value as dedupe compared it: its columns' values joined (as `explain-match` shows them).
        func value(_ field: String, _ record: Record) -> String {
            let columns = settings.fields.first { $0.name == field }?.columns ?? []
            return columns.compactMap { compareColumns[$0].map { record[$0] } }.filter { !$0.isEmpty }.joined(separator: " ")
        }
        var showcase = DedupeShowcase()
        for (entity, size) in largest.prefix(DedupeShowcase.clusterCount) {
            let rows = members[entity].prefix(DedupeShowcase.rowsPerCluster).map { row -> DedupeShowcase.ClusterRow in
                let record = records[active[Int(row)]]
                let name = [value("first_name", record), value("last_name", record)].filter { !$0.isEmpty }.joined(separator: " ")
                return DedupeShowcase.ClusterRow(
                    line: record.line, name: name, email: value("email", record),
                    company: value("company", record))
            }
            showcase.clusters.append(DedupeShowcase.Cluster(entityID: entityIDs[entity], size: size, rows: Array(rows)))
        }
        let partners = resolution.clusters.bestPartner
        for (entity, _) in largest.prefix(DedupeShowcase.pairCount) {
            let row = Int(members[entity][members[entity].startIndex])
            let partner = Int(partners[row])
            guard partner >= 0 else { continue }
            showcase.pairs.append(
                DedupeShowcase.ExplainedPair(
                    lines: (records[active[row]].line, records[active[partner]].line),
                    explanation: resolution.matcher.explain(row, partner)))
        }
        return showcase
    }
}
