import PipelineSpec

/// The run's summary for people (standard error) and for jobs (`--summary json` on standard output).
extension RunReport {
    /// The first line: the run's verdict, then the rows as a sales-ops person counts them.
    /// `PASSED weekly in 12.34 s (2 jobs): 9,500 usable, 300 flagged, 150 rejected, 50 merged of 10,000 rows; 8,900 mailable`
    func headlineLine(_ findings: RunFindings) -> String {
        // The verdict is the run's, not the identity's: a run that crossed fail_if still accounts for
        // every row (✓ on the next line) but FAILED.
        let verdict = failure == nil ? "PASSED" : "FAILED"
        return "\(verdict) \(pipeline) in \(String(format: "%.2f", seconds)) s (\(jobs) jobs): \(findings.headlineText)"
    }

    /// What `--quiet` prints: nothing for a run that passed; for one that failed, the verdict, whether every
    /// row is accounted for, and why it failed.
    public var quietSummary: String? {
        guard let failure else { return nil }
        return [headlineLine(findings), "  \(accountingLine) \(totals.accountingHolds ? "✓" : "✗ ACCOUNTING BROKEN")",
                "  FAILED: \(failure)"].joined(separator: "\n")
    }

    /// The headline and what each stage found as one JSON object, for jobs (`--summary json`); report.json
    /// holds the same values under the same keys (docs/report.md).
    public var summaryJSON: ReportValue {
        let findings = findings
        let stages: [ReportValue] = totals.stages.enumerated().map { i, stage in
            var pairs: [(String, ReportValue)] = [
                ("name", .string(stage.name)), ("rows_in", .integer(stage.rowsIn)), ("rows_out", .integer(stage.rowsOut)),
                ("rows_rejected", .integer(stage.rowsRejected)), ("rows_merged", .integer(stage.rowsMerged)),
            ]
            if i < stageSummaries.count, let found = RunFindings.findings(of: stage, summary: .object(stageSummaries[i])) {
                pairs.append(("findings", .object(found.findings)))
            }
            return .object(pairs)
        }
        let failIf: [ReportValue] = failConditions.map { fail in
            .object([
                ("condition", .string("\(fail.condition.metric) \(fail.condition.comparison.rawValue) \(fail.condition.threshold)")),
                ("value", .number(fail.value)), ("crossed", .bool(fail.crossed)),
            ])
        }
        return .object([
            ("schema_version", .integer(Self.schemaVersion)),
            ("pipeline", .string(pipeline)),
            ("status", .string(failure == nil ? "ok" : "failed")),
            ("failure", failure.map(ReportValue.string) ?? .null),
            ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("headline", findings.headlineJSON),
            ("accounting", .object([("holds", .bool(totals.accountingHolds)), ("identity", .string(accountingLine))])),
            ("reject_reasons", .counts(totals.rejectReasons)),
            ("stages", .array(stages)),
            ("since_last_run", findings.sinceLastRunJSON),
            ("fail_if", .array(failIf)),
            ("notes", .array(allNotes.map(ReportValue.string))),
        ])
    }
}
