import LeadRecords
import PipelineSpec

/// What email_check counted over its chunks, for the report.
public struct EmailCheckCounts: StageSummary {
    var statuses: [String: Int] = [:]
    var reasons: [String: Int] = [:]
    var actions: [String: Int] = [:]
    /// List findings, counted whatever status they gave.
    var findings: [String: Int] = [:]
    /// Per status, the reason that decided it → rows (`risky` split into accept-all, role, free mail…).
    var reasonsByStatus: [String: [String: Int]] = [:]
    /// Per status, the first rows of the input (kept, flagged or rejected), for the report's examples.
    var examples: [String: [EmailExample]] = [:]

    mutating func add(_ assessment: EmailAssessment, action: EmailAction, line: Int) {
        statuses[assessment.status.rawValue, default: 0] += 1
        if let reason = assessment.reason {
            reasons[reason.code, default: 0] += 1
            reasonsByStatus[assessment.status.rawValue, default: [:]][reason.code, default: 0] += 1
        }
        if examples[assessment.status.rawValue, default: []].count < EmailExample.limit {
            examples[assessment.status.rawValue, default: []].append(
                EmailExample(line: line, email: assessment.normalized, reason: assessment.reason?.code ?? "",
                             action: action.rawValue))
        }
        actions[action.rawValue, default: 0] += 1
        for finding in assessment.findings { findings[finding.code, default: 0] += 1 }
    }

    public mutating func merge(_ other: EmailCheckCounts) {
        statuses.merge(other.statuses, uniquingKeysWith: +)
        reasons.merge(other.reasons, uniquingKeysWith: +)
        actions.merge(other.actions, uniquingKeysWith: +)
        findings.merge(other.findings, uniquingKeysWith: +)
        for (status, counts) in other.reasonsByStatus {
            reasonsByStatus[status, default: [:]].merge(counts, uniquingKeysWith: +)
        }
        // `other` is later in the input: its rows fill what room the earlier chunks left.
        for (status, rows) in other.examples {
            let room = EmailExample.limit - examples[status, default: []].count
            if room > 0 { examples[status, default: []] += rows.prefix(room) }
        }
    }
}

/// One checked address shown in the report beside its status: the first rows of each status in the input.
struct EmailExample: Sendable {
    /// How many rows of each status the report shows.
    static let limit = 3
    var line: Int
    var email: String
    var reason: String
    var action: String

    var report: ReportValue {
        .object([("line", .integer(line)), ("email", .string(email)), ("reason", .string(reason)), ("action", .string(action))])
    }
}
