import DomainNames
import Foundation
import LeadFacts
import LeadRecords
import PipelineSpec

extension DecayStage {
    /// decay bound to the run's schema: the columns it reads (its own dates, earlier stages' verdicts) and writes.
    /// Streams without a store; with one it streams with in-order steps (``StorePass``): it compares each lead
    /// with the last run and stages this run's snapshots chunk by chunk, then lists the leads that vanished.
    public struct Bound: StreamingStage, InOrderStreamingStage {
        let stage: DecayStage
        let lastVerified, lastActivity, email: ColumnIndex?
        /// Earlier stages' columns, read as their values (``LeadColumns``); absent when no stage wrote them.
        let emailStatus: BoundColumn<EmailStatus>?, emailReason: BoundColumn<ReasonCodeList>?
        let webStatus: BoundColumn<WebStatus>?, webRedirect: BoundColumn<String>?
        /// compliance's verdict, when the pipeline has a compliance stage before decay.
        let contactAllowed: BoundColumn<Bool>?
        /// How the two date columns write their dates (decided from their values when the pipeline was prepared).
        let lastVerifiedFormat, lastActivityFormat: DateFormat
        let normDomain, domain, website: ColumnIndex?
        let scoreColumn, statusColumn, reasonsColumn, actionColumn, mailableColumn, notMailableColumn: ColumnIndex
        /// Builds snapshots for the store; set when the stage compares with the last run.
        var extractor: SnapshotExtractor?
        let inputColumnCount: Int

        var monthlyRate: Double { stage.monthlyRate }
        var companyKey: CompanyKey { stage.companyKey }
        var thresholds: DecayThresholds { stage.thresholds }
        var actions: [DecayStatus: DecayAction] { stage.actions }
        var weights: DecaySignalWeights { stage.weights }
        var suppression: SuppressionList? { stage.suppression }
        var suppressionRejects: Bool { stage.suppressionRejects }
        var siteGoneStatuses: Set<String> { stage.siteGoneStatuses }
        var historyName: String { stage.historyName }
        var vanishedSampleSize: Int { stage.vanishedSampleSize }
        var history: (any LeadHistory)? { stage.history }
        var progress: StageProgress { stage.progress }
        var now: Double { stage.now }
        var startedAt: Date { stage.startedAt }
        var referenceTime: Date { stage.referenceTime }
        var jobs: Int { stage.jobs }

        // MARK: Per record

        public func emptySummary() -> DecaySummary { DecaySummary() }

        public func process(_ records: inout [Record], counting summary: inout DecaySummary) {
            let writer = columnWriter()
            for i in records.indices where records[i].isActive {
                assess(&records[i], changes: [], counts: &summary.counts, writer: writer)
            }
        }

        /// A writer of the six decay columns, for one thread.
        func columnWriter() -> AddedColumnWriter {
            AddedColumnWriter([scoreColumn, statusColumn, reasonsColumn, actionColumn, mailableColumn, notMailableColumn])
        }

        /// Scores one active record, writes the decay columns and applies the action; returns the score (also
        /// added to `counts`).
        @discardableResult
        func assess(_ record: inout Record, changes: [ReasonCode], counts: inout DecayCounts, writer: AddedColumnWriter) -> Double {
            var reasons: [ReasonCode] = []
            var survival = 1.0

            // Age: the most recent of last verified / last activity.
            var newest: Double?
            for (column, format) in [(lastVerified, lastVerifiedFormat), (lastActivity, lastActivityFormat)] where column != nil {
                let text = record[column]
                guard !text.isEmpty else { continue }
                if let date = LeadAge.parse(text, format: format) { newest = max(newest ?? date, date) } else { counts.unparseableDates += 1 }
            }
            if let newest {
                let age = LeadAge.decay(months: LeadAge.months(from: newest, to: now), monthlyRate: monthlyRate)
                survival *= 1 - age
                if age >= thresholds.aging { reasons.append(.decayAge) }
            } else {
                reasons.append(.decayNoDate)
            }

            // email_check's verdict.
            let status = emailStatus.read(record)
            let reason = emailReason.read(record)
            if reason?.contains(.emailNullMX) == true {
                reasons.append(.decayNullMX) // RFC 7505: a null MX means the domain accepts no mail
            } else if let reason, [ReasonCode.emailNXDomain, .emailNoMailHost, .emailMXUnresolvable].contains(where: reason.contains) {
                reasons.append(.decayDomainUnresolvable)
            }
            if status == .invalid {
                reasons.append(.decayEmailInvalid)
            } else if status == .risky {
                reasons.append(.decayEmailRisky)
            }

            // scrape's company signals.
            if let web = webStatus.read(record), siteGoneStatuses.contains(web.rawValue) { reasons.append(.decaySiteGone) }
            if let redirect = webRedirect.read(record), let target = PublicSuffixList.shared.registrableDomain(of: HostName.asciiForm(redirect) ?? redirect),
               target != leadDomain(record) {
                reasons.append(.decayCompanyRedirect)
            }

            reasons.append(contentsOf: changes)

            // The ESP's suppression file.
            let suppressed = suppression?.kind(of: record[email])
            if let suppressed {
                reasons.append(suppressed.reason)
                counts.suppressed[suppressed.rawValue, default: 0] += 1
            }

            for reason in reasons { survival *= 1 - weights.weight(reason.code) }
            let score = min(1, max(0, 1 - survival))
            let decayStatus = thresholds.status(for: score)
            var action = actions[decayStatus] ?? .keep
            if suppressed != nil { action = suppressionRejects ? .reject : (action == .reject ? .reject : .flag) }
            let notMailable = stage.notMailableReason(suppressed: suppressed != nil, status: decayStatus, action: action,
                                                emailStatus: record[emailStatus?.index], emailReason: reason,
                                                contactAllowed: contactAllowed.read(record))
            let mailable = notMailable == nil

            let reasonText = reasons.map(\.code).joined(separator: ";")
            let values = writer.values
            values.start()
            values.appendValue(String(format: "%.3f", score))
            values.appendValue(decayStatus.rawValue)
            values.appendValue(reasonText)
            values.appendValue(action.rawValue)
            values.appendValue(mailable ? "yes" : "no")
            values.appendValue(notMailable ?? "")
            writer.write(into: &record.fields)

            counts.assessed += 1
            counts.scoreSum += score
            counts.status[decayStatus.rawValue, default: 0] += 1
            counts.actions[action.rawValue, default: 0] += 1
            for reason in reasons { counts.reasons[reason.code, default: 0] += 1 }
            if !mailable { counts.notMailable += 1 }

            if action == .reject {
                let code: ReasonCode
                if let suppressed, suppressionRejects {
                    code = suppressed.reason
                } else {
                    switch decayStatus {
                    case .dead: code = .decayDead
                    case .stale: code = .decayStale
                    case .aging: code = .decayAging
                    case .fresh: code = .decayFresh
                    }
                }
                record.reject(code, stage: DecayStage.descriptor.name, detail: "score \(record[scoreColumn]): \(reasonText)")
            }
            return score
        }

        /// The lead's company domain (registrable), to tell a redirect to another company from one within the same.
        private func leadDomain(_ record: Record) -> String? {
            for column in [normDomain, domain, website] where column != nil {
                let value = record[column]
                if !value.isEmpty, let host = HostName.fromWebsite(value) ?? HostName.asciiForm(value) {
                    return PublicSuffixList.shared.registrableDomain(of: host)
                }
            }
            let address = record[email]
            if let at = address.lastIndex(of: "@"), let host = HostName.asciiForm(String(address[address.index(after: at)...])) {
                return PublicSuffixList.shared.registrableDomain(of: host)
            }
            return nil
        }

        // MARK: With the store

        /// Loads the last run and starts keeping this one (``StorePass``).
        public func beginPass(expectedRows: Int?) throws -> StorePass {
            guard let leadHistory = history, let extractor else {
                preconditionFailure("decay streams with in-order steps only when it compares with the last run")
            }
            return try StorePass(bound: self, leadHistory: leadHistory, extractor: extractor, expectedRows: expectedRows)
        }

        // MARK: Report

        public func report(_ summary: DecaySummary) -> [(String, ReportValue)] {
            let counts = summary.counts
            var statusCounts: [(String, ReportValue)] = DecayStatus.allCases.map { ($0.rawValue, .integer(counts.status[$0.rawValue] ?? 0)) }
            statusCounts.append(("not_mailable", .integer(counts.notMailable)))
            var result: [(String, ReportValue)] = [
                ("monthly_rate", .number(monthlyRate)),
                ("status", .object(statusCounts)),
                ("reasons", .counts(counts.reasons)),
                ("actions", .counts(counts.actions)),
                ("suppressed", .counts(counts.suppressed)),
                ("suppression_action", .string(suppressionRejects ? "reject" : "flag")),
                ("mean_score", .number(counts.assessed == 0 ? 0 : (counts.scoreSum / Double(counts.assessed) * 1000).rounded() / 1000)),
                ("unparseable_dates", .integer(counts.unparseableDates)),
            ]
            guard history != nil else { return result }
            let findings = summary.history
            var history: [(String, ReportValue)] = [
                ("history", .string(historyName)),
                ("recorded_run", findings.kept?.recordedRunID.map { .integer(Int($0)) } ?? .null),
                ("previous_run", findings.previousRunID.map { .integer(Int($0)) } ?? .null),
            ]
            if findings.previousRunID != nil {
                if let time = findings.previousReferenceTime {
                    history.append(("previous_reference_time", .string(ISO8601DateFormatter().string(from: time))))
                }
                history.append(("leads_compared", .integer(findings.compared)))
                history.append(("new_leads", .integer(findings.newLeads)))
                history.append(("vanished", .integer(findings.vanished)))
                history.append(("vanished_sample", .array(findings.vanishedSample.map {
                    .object([("entity_id", .string($0.entityID)), ("email", .string($0.email)), ("previous_line", .integer($0.line))])
                })))
                history.append(("week_over_week", .object(DecayStatus.allCases.map { status in
                    let before = findings.previousStatus[status.rawValue] ?? 0, after = counts.status[status.rawValue] ?? 0
                    return (status.rawValue, .object([("previous", .integer(before)), ("current", .integer(after)),
                                                      ("change", .integer(after - before))]))
                })))
                let reasonKeys = Set(findings.previousReasons.keys).union(counts.reasons.keys).sorted()
                history.append(("reasons_week_over_week", .object(reasonKeys.map { key in
                    let before = findings.previousReasons[key] ?? 0, after = counts.reasons[key] ?? 0
                    return (key, .object([("previous", .integer(before)), ("current", .integer(after)), ("change", .integer(after - before))]))
                })))
            }
            // Staged runs: staging here plus the runner's commit after the outputs were in place.
            let storeSeconds = findings.storeSeconds + (findings.kept?.commitSeconds ?? 0)
            history.append(("store_read_seconds", .number((findings.storeReadSeconds * 1000).rounded() / 1000)))
            history.append(("store_write_seconds", .number((storeSeconds * 1000).rounded() / 1000)))
            result.append(("run_over_run", .object(history)))
            return result
        }
    }
}
