import LeadFacts
import Foundation
import LeadRecords
import PipelineSpec

/// `email_check`: tells for every row whether its address can receive mail, and why not.
///
/// Per row: RFC 5321/6531 syntax, a normalized address and a provider-aware identity key, list
/// findings (disposable, role, free mail, accept-all), a typo suggestion, and the domain's DNS verdict
/// (looked up once per domain per run, bounded in concurrency, reused across runs through the store).
/// The status then picks the row's action from `actions:` — keep, flag or reject.
public struct EmailCheckStage: Stage {
    /// Name, options, added columns and reason codes, as `leadhygiene stages` prints them.
    public static let descriptor = StageDescriptor(
        name: "email_check",
        summary: "Checks email syntax (RFC 5321/6531), normalizes addresses, looks up MX/null MX/A records, "
            + "and marks disposable, role, free-mail and misspelt addresses.",
        options: EmailCheckOptions.schema,
        requiredFields: [.email],
        addedColumns: Columns.names,
        reasonCodes: ReasonCode.emailCheckCodes,
        produces: [LeadColumns.emailStatus.spec, LeadColumns.emailReason.spec])

    /// The columns the stage adds, in order.
    public enum Columns {
        public static let status = "email_status"
        public static let reason = "email_reason"
        public static let normalized = "email_normalized"
        public static let identityKey = "email_identity_key"
        public static let suggestion = "email_suggestion"
        public static let action = "email_action"
        public static let names = [status, reason, normalized, identityKey, suggestion, action]
    }

    let checker: EmailChecker
    let actions: [EmailStatus: EmailAction]
    let lookup: DomainVerdictLookup?
    /// The SMTP mailbox prober, when `smtp.enabled` (and DNS is on: probing needs the MX hosts).
    let prober: SMTPProber?

    public init(options: OptionValues, context: StageContext) throws {
        let settings = try EmailCheckOptions.settings(from: options)
        checker = settings.checker
        actions = settings.actions
        if settings.dnsEnabled && !context.isLintOnly {
            let persistent = try context.services.open((any DomainVerdictCache).self)
            lookup = DomainVerdictLookup(configuration: settings.resolver, concurrency: settings.concurrency,
                                         persistentCache: persistent, cacheLifetime: TimeInterval(settings.cacheDays) * 86_400,
                                         now: context.now, canary: settings.canary)
            if settings.failWhenUntrusted, let lookup, !lookup.checkResolver() {
                throw OptionProblem(option: "dns", Self.untrustedSentence(lookup) + "; the run stopped before any row (dns.on_untrusted: fail). "
                                    + "Set dns.server to a resolver that answers for the internet, or dns.enabled: false to check syntax and lists only")
            }
        } else {
            lookup = nil
        }
        if settings.smtp.enabled, lookup != nil {
            prober = SMTPProber(settings: settings.smtp, persistentCache: try context.services.open((any SMTPVerdictCache).self),
                                now: context.now)
        } else {
            prober = nil
        }
    }

    public func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        .streaming(try bind(schema: &schema, columns: columns))
    }

    /// The stage bound to the schema, as its own type (tests and benchmarks run its chunks themselves).
    public func bind(schema: inout Schema, columns: ColumnBindings) throws -> Bound {
        guard let email = columns[.email] else { throw OptionProblem("needs the email field") }
        return Bound(stage: self, emailColumn: email, outputColumns: Columns.names.map { schema.addColumn($0) },
                     checker: checker, domainFacts: SharedByteMemo())
    }

    /// What the canary found, naming the resolver asked.
    public static func untrustedSentence(_ lookup: DomainVerdictLookup) -> String {
        let server = lookup.configuration.server.map { "the name server \($0) port \(lookup.configuration.port)" }
            ?? "the system's name server (/etc/resolv.conf)"
        return "\(server) says the canary \(lookup.canaryDomain ?? "") takes no mail, so its answers cannot be trusted"
    }

    static func detail(of assessment: EmailAssessment) -> String {
        if assessment.syntaxProblem == nil, !assessment.suggestion.isEmpty { return "did you mean \(assessment.suggestion)?" }
        return assessment.explanation
    }

    /// The same for a plain list (`leadhygiene check-email`).
    public static func probeMailboxes(_ assessments: inout [EmailAssessment], checker: EmailChecker, prober: SMTPProber) {
        var requests: [SMTPProber.Request] = []
        var probed: [Int] = []
        for (i, assessment) in assessments.enumerated() {
            let hosts = checker.mailHosts(for: assessment)
            guard !hosts.isEmpty, let domain = assessment.domainToLookUp else { continue }
            requests.append(SMTPProber.Request(address: assessment.normalized, domain: domain, hosts: hosts))
            probed.append(i)
        }
        guard !requests.isEmpty else { return }
        let verdicts = prober.verdicts(for: requests)
        for i in probed {
            if let verdict = verdicts[assessments[i].normalized] { checker.complete(&assessments[i], with: verdict) }
        }
    }
}

extension EmailCheckStage {
    /// email_check bound to the run's schema: the address column it reads and the columns it writes.
    public struct Bound: StreamingStage {
        let stage: EmailCheckStage
        let emailColumn: ColumnIndex
        /// ``Columns/names``, in order.
        let outputColumns: [ColumnIndex]
        /// The stage's checker, held here so a row's check does not copy it out of the stage.
        let checker: EmailChecker
        /// Each mail domain's list and typo facts, worked out once per run for all worker threads (a chunk's own
        /// memo found few of its domains: a list's rows spread thousands of company domains over every chunk).
        let domainFacts: SharedByteMemo<DomainFacts>

        var actions: [EmailStatus: EmailAction] { stage.actions }
        var lookup: DomainVerdictLookup? { stage.lookup }
        var prober: SMTPProber? { stage.prober }

        public func emptySummary() -> EmailCheckCounts { EmailCheckCounts() }

        public func process(_ records: inout [Record], counting counts: inout EmailCheckCounts) {
            var memo = SharedDomainFacts(domainFacts)
            var assessments: [(index: Int, assessment: EmailAssessment)] = []
            assessments.reserveCapacity(records.count)
            var domains = Set<String>()
            let looksUp = lookup != nil
            for index in records.indices where records[index].isActive {
                let assessment = checker.assess(records[index][emailColumn], facts: &memo)
                // The domains to resolve, only when DNS is on.
                if looksUp, let domain = assessment.domainToLookUp { domains.insert(domain) }
                assessments.append((index, assessment))
            }
            let verdicts = lookup?.verdicts(for: domains) ?? [:]
            let writer = AddedColumnWriter(outputColumns)

            for i in assessments.indices {
                if let domain = assessments[i].assessment.domainToLookUp, let verdict = verdicts[domain] {
                    checker.complete(&assessments[i].assessment, with: verdict)
                }
            }
            if let prober { probeMailboxes(&assessments, with: prober) }

            for (index, assessment) in assessments {
                let action = actions[assessment.status] ?? .keep
                write(assessment, action: action, to: &records[index], writer: writer)
                if action == .reject, let reason = assessment.reason {
                    records[index].reject(reason, stage: EmailCheckStage.descriptor.name, detail: EmailCheckStage.detail(of: assessment))
                }
                counts.add(assessment, action: action, line: records[index].line)
            }
        }

        /// Asks the mail servers about every address DNS found a mail host for, and folds in what they said.
        private func probeMailboxes(_ assessments: inout [(index: Int, assessment: EmailAssessment)], with prober: SMTPProber) {
            var list = assessments.map(\.assessment)
            EmailCheckStage.probeMailboxes(&list, checker: checker, prober: prober)
            for i in assessments.indices { assessments[i].assessment = list[i] }
        }

        public func report(_ counts: EmailCheckCounts) -> [(String, ReportValue)] {
            var summary: [(String, ReportValue)] = [
                ("email_status", .counts(counts.statuses)),
                ("email_reasons", .counts(counts.reasons)),
                ("email_actions", .counts(counts.actions)),
                ("email_findings", .counts(counts.findings)),
                ("email_reasons_by_status", .object(counts.reasonsByStatus.sorted { $0.key < $1.key }.map { ($0.key, .counts($0.value)) })),
                ("email_examples", .object(counts.examples.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(\.report))) })),
            ]
            if let lookup {
                let stats = lookup.statistics
                summary.append(("dns", .object([
                    ("domains_resolved", .integer(stats.resolved)),
                    ("store_cache_hits", .integer(stats.persistentHits)),
                    ("run_cache_hits", .integer(stats.runHits)),
                    ("coalesced_waits", .integer(stats.coalesced)),
                    ("failures", .integer(stats.failures)),
                    ("mx_hosts_resolved", .integer(stats.mxHostsResolved)),
                    ("mx_hosts_from_additional_section", .integer(stats.mxHostsFromAdditionalSection)),
                    ("concurrency", .integer(lookup.concurrency)),
                    ("resolver_trusted", lookup.resolverTrusted.map(ReportValue.bool) ?? .null),
                    ("skipped_untrusted", .integer(stats.skippedUntrusted)),
                ])))
                if let prober {
                    let stats = prober.statistics
                    summary.append(("smtp", .object([
                        ("addresses_probed", .integer(stats.addressesProbed)),
                        ("connections", .integer(stats.connections)),
                        ("accept_all_domains", .integer(stats.acceptAllDomains)),
                        ("most_connections_to_one_host", .integer(stats.mostConnectionsToOneHost)),
                        ("store_cache_hits", .integer(stats.storeCacheHits)),
                    ])))
                }
                if lookup.resolverTrusted == false {
                    let unknown = counts.statuses[EmailStatus.unknown.rawValue] ?? 0
                    summary.append(("note", .string(
                        "email_check: " + EmailCheckStage.untrustedSentence(lookup) + ": \(stats.skippedUntrusted) domains were not looked up and "
                        + "\(unknown) addresses are unknown (email_dns_failure, resolver_untrusted). Set dns.server to a resolver that "
                        + "answers for the internet, dns.enabled: false to check syntax and lists only, or dns.on_untrusted: fail to stop such runs")))
                }
            }
            return summary
        }

        /// Writes the row's six values (in ``Columns/names`` order) through `writer`.
        private func write(_ assessment: EmailAssessment, action: EmailAction, to record: inout Record, writer: AddedColumnWriter) {
            let values = writer.values
            values.start()
            values.appendValue(assessment.status.rawValue)
            values.appendValue(assessment.reason?.code ?? "")
            values.appendValue(assessment.normalized)
            values.appendValue(assessment.identityKey)
            values.appendValue(assessment.suggestion)
            values.appendValue(action.rawValue)
            writer.write(into: &record.fields)
        }
    }
}
