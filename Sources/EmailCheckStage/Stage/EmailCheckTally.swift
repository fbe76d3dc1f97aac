import Synchronization

/// The stage's counts, merged once per chunk from the worker threads.
final class EmailCheckTally: Sendable {
    struct Counts: Sendable {
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

        mutating func merge(_ other: Counts) {
            statuses.merge(other.statuses, uniquingKeysWith: +)
            reasons.merge(other.reasons, uniquingKeysWith: +)
            actions.merge(other.actions, uniquingKeysWith: +)
            findings.merge(other.findings, uniquingKeysWith: +)
        }
    }

    private let counts = Mutex(Counts())

    func merge(_ other: Counts) { counts.withLock { $0.merge(other) } }
    var snapshot: Counts { counts.withLock { $0 } }
}
