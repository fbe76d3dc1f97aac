import LeadRecords
import PipelineSpec

/// What email_check counted over its chunks, for the report.
public struct EmailCheckCounts: StageSummary {
    var statuses: [String: Int] = [:]
    var reasons: [String: Int] = [:]
    var actions: [String: Int] = [:]
    /// List findings, counted whatever status they gave.
    var findings: [String: Int] = [:]

    mutating func add(_ assessment: EmailAssessment, action: EmailAction) {
        statuses[assessment.status.rawValue, default: 0] += 1
        if let reason = assessment.reason { reasons[reason.code, default: 0] += 1 }
        actions[action.rawValue, default: 0] += 1
        for finding in assessment.findings { findings[finding.code, default: 0] += 1 }
    }

    public mutating func merge(_ other: EmailCheckCounts) {
        statuses.merge(other.statuses, uniquingKeysWith: +)
        reasons.merge(other.reasons, uniquingKeysWith: +)
        actions.merge(other.actions, uniquingKeysWith: +)
        findings.merge(other.findings, uniquingKeysWith: +)
    }
}
