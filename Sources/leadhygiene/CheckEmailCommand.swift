import ArgumentParser
import EmailCheckStage
import Foundation
import LeadHygiene
import PipelineFileLoading
import PipelineSpec

/// `leadhygiene check-email`: the email_check stage's verdict for single addresses, one JSON object per line.
struct CheckEmailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-email",
        abstract: "Check email addresses: syntax, normalization, lists, typo suggestion and (unless --no-dns) the domain's DNS.",
        discussion: """
        Prints one JSON object per address, in input order: input, status (valid|risky|invalid|unknown), \
        valid (syntax), normalized, reason (a reason code or null), suggestion (or null), identity_key, detail. \
        Exit code 0 whatever the verdicts; 2 on usage errors.
        """)

    @Argument(help: "Addresses to check; a single - reads one address per line from standard input.")
    var addresses: [String] = []
    @Option(help: ArgumentHelp("Take the lists, statuses and DNS settings from this pipeline file's email_check stage; flags given here override them.",
                               valueName: "pipeline.yml"))
    var pipeline: String?
    @Flag(name: .customLong("no-dns"), help: "Skip domain lookups: syntax and lists only.") var noDNS = false
    @Option(name: .customLong("dns-server"), help: "IPv4 or IPv6 address of the name server (default: the system's).") var dnsServer: String?
    @Option(name: .customLong("dns-port"), help: "Port of the name server (default: 53).") var dnsPort: Int?
    @Option(help: "Seconds to wait for the first DNS try; glibc doubles it on each retry (default: 2).") var timeout: Int?
    @Option(help: "DNS tries per query (default: 2).") var attempts: Int?
    @Option(help: "Most DNS lookups in flight at once (default: 16).") var concurrency: Int?
    @Option(help: "A domain that certainly takes mail; if the resolver denies it, negative answers become unknown. Empty: no test (default: gmail.com).")
    var canary: String?
    @Flag(name: .customLong("allow-ip-literal"), help: "Accept bracketed IP address domains.") var allowIPLiteral = false
    @Option(name: .customLong("allow-special-use"), help: ArgumentHelp("Accept addresses under this reserved name (repeatable), such as test for a staging zone.", valueName: "name"))
    var allowSpecialUse: [String] = []

    func validate() throws {
        if addresses.isEmpty { throw ValidationError("give at least one address, or - to read addresses from standard input") }
        if addresses.contains("-") && addresses.count > 1 { throw ValidationError("- reads standard input and cannot be mixed with addresses") }
        // The flags' values are checked with the pipeline's dns: rule once they override the settings (run()).
    }

    func run() throws {
        var configuration: EmailCheckConfiguration
        do {
            configuration = try self.configuration()
        } catch let error as PipelineFileError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(ExitStatus.usage)
        }
        if allowIPLiteral { configuration.checker.policy.allowAddressLiteral = true }
        if !allowSpecialUse.isEmpty { configuration.checker.specialUse = SpecialUseDomains(allowing: allowSpecialUse) }
        if let dnsServer { configuration.resolver.server = dnsServer }
        if let dnsPort { configuration.resolver.port = dnsPort }
        if let timeout { configuration.resolver.timeoutSeconds = timeout }
        if let attempts { configuration.resolver.attempts = attempts }
        if let concurrency { configuration.concurrency = concurrency }
        if let canary { configuration.canary = canary }
        if let problem = configuration.checkedDNSFlags() {
            FileHandle.standardError.write(Data("Error: \(problem)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }

        let checker = configuration.checker
        let lookup = noDNS || !configuration.dnsEnabled ? nil : DomainVerdictLookup(
            configuration: configuration.resolver, concurrency: configuration.concurrency, canary: configuration.canary)
        if let lookup, !lookup.checkResolver() {
            // The stage's dns.on_untrusted: every domain is unknown (skip), or nothing is checked (fail).
            let what = EmailCheckStage.untrustedSentence(lookup)
            if configuration.failWhenUntrusted {
                FileHandle.standardError.write(Data("error: \(what) (dns.on_untrusted: fail); use --dns-server, or --no-dns\n".utf8))
                throw ExitCode(1)
            }
            FileHandle.standardError.write(Data("note: \(what); domains are not looked up and their addresses are unknown. Use --dns-server, or --no-dns\n".utf8))
        }
        // SMTP probing only when the pipeline file enables it, and never without DNS (it needs the MX hosts).
        let prober = lookup != nil && configuration.smtp.enabled ? SMTPProber(settings: configuration.smtp) : nil
        let output = FileHandle.standardOutput
        if addresses == ["-"] {
            // Batches keep memory flat on long inputs while their domains are still looked up in parallel.
            var batch: [String] = []
            while let line = readLine(strippingNewline: true) {
                batch.append(line)
                if batch.count == 4096 {
                    output.write(Data(Self.check(batch, checker: checker, lookup: lookup, prober: prober).utf8))
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { output.write(Data(Self.check(batch, checker: checker, lookup: lookup, prober: prober).utf8)) }
        } else {
            output.write(Data(Self.check(addresses, checker: checker, lookup: lookup, prober: prober).utf8))
        }
    }

    /// The settings of the pipeline's first `email_check` stage, or the stage's defaults without `--pipeline`.
    func configuration() throws -> EmailCheckConfiguration {
        guard let pipeline else { return try EmailCheckConfiguration() }
        let file = try PipelineFileLoader(stages: StageRegistry.descriptors).load(path: pipeline)
        guard let stage = file.stages.first(where: { $0.name == EmailCheckStage.descriptor.name }) else {
            throw PipelineFileError([Diagnostic(file: pipeline, location: file.stagesLocation ?? .start,
                                                message: "the pipeline has no email_check stage to take settings from")])
        }
        do {
            return try EmailCheckConfiguration(options: stage.options)
        } catch let problem as OptionProblem {
            let location = problem.option.flatMap { stage.options.location(of: $0) } ?? stage.location ?? .start
            throw PipelineFileError([Diagnostic(file: pipeline, location: location,
                                                message: "stage 'email_check': \(problem.message)")])
        }
    }

    /// The JSON lines for a batch of addresses.
    static func check(_ inputs: [String], checker: EmailChecker, lookup: DomainVerdictLookup?, prober: SMTPProber? = nil) -> String {
        var memo: [String: DomainFacts] = [:]
        var assessments = inputs.map { checker.assess($0, memo: &memo) }
        if let lookup {
            let verdicts = lookup.verdicts(for: Set(assessments.compactMap(\.domainToLookUp)))
            for i in assessments.indices {
                if let domain = assessments[i].domainToLookUp, let verdict = verdicts[domain] {
                    checker.complete(&assessments[i], with: verdict)
                }
            }
            if let prober { EmailCheckStage.probeMailboxes(&assessments, checker: checker, prober: prober) }
        }
        var text = ""
        for a in assessments {
            func optional(_ s: String) -> String { s.isEmpty ? "null" : ReportValue.quote(s) }
            let detail = a.explanation
            text += "{\"input\":\(ReportValue.quote(a.input)),\"status\":\"\(a.status.rawValue)\",\"valid\":\(a.isSyntaxValid),"
                + "\"normalized\":\(optional(a.normalized)),\"reason\":\(optional(a.reason?.code ?? "")),"
                + "\"suggestion\":\(optional(a.suggestion)),\"identity_key\":\(optional(a.identityKey)),"
                + "\"detail\":\(optional(detail))}\n"
        }
        return text
    }
}
