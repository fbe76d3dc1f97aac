import LeadRecords
import PipelineSpec

/// What an `email_check` stage checks addresses with, built from its pipeline-file options: the one set of
/// settings (and the one check of them) the stage and `leadhygiene check-email` share.
///
/// `leadhygiene check-email --pipeline FILE` uses it so that one address checked by hand gets the
/// verdict the pipeline's stage would give it: the same list files, additions and removals, statuses
/// and name server.
public struct EmailCheckConfiguration: Sendable {
    /// Syntax rules, lists and statuses.
    public var checker: EmailChecker
    /// What happens to a row per status (`actions:`).
    public var actions: [EmailStatus: EmailAction]
    /// Whether domains are looked up at all (`dns.enabled`).
    public var dnsEnabled: Bool
    /// The name server and its timeouts (`dns.server`, `dns.port`, `dns.timeout`, `dns.attempts`).
    public var resolver: ResolverConfiguration
    /// Most lookups in flight (`dns.concurrency`).
    public var concurrency: Int
    /// Days a domain's verdict is kept in the store (`dns.cache_days`).
    package var cacheDays: Int
    /// The domain whose denial makes negative answers untrusted (`dns.canary`); nil or empty = no test.
    public var canary: String?
    /// `dns.on_untrusted: fail`: a resolver that denies the canary stops the check instead of leaving addresses unknown.
    public var failWhenUntrusted: Bool
    /// SMTP mailbox probing (`smtp:`), off unless the pipeline enables it.
    public var smtp: SMTPProbeSettings

    init(checker: EmailChecker, actions: [EmailStatus: EmailAction], dnsEnabled: Bool, resolver: ResolverConfiguration,
         concurrency: Int, cacheDays: Int, canary: String?, failWhenUntrusted: Bool, smtp: SMTPProbeSettings) {
        self.checker = checker
        self.actions = actions
        self.dnsEnabled = dnsEnabled
        self.resolver = resolver
        self.concurrency = concurrency
        self.cacheDays = cacheDays
        self.canary = canary
        self.failWhenUntrusted = failWhenUntrusted
        self.smtp = smtp
    }

    /// Reads validated `email_check` options; the stage's defaults when `options` gives none.
    ///
    /// - Throws: ``OptionProblem`` for an unreadable list file or an out-of-range DNS setting.
    public init(options: OptionValues = OptionValues(schema: EmailCheckStage.descriptor.options)) throws {
        self = try EmailCheckOptions.settings(from: options)
    }

    /// The DNS settings after `check-email`'s flags, checked by the same rule as the pipeline's `dns:` options;
    /// the message names the flag (`--dns-port must be 1–65535, found 0`).
    public func checkedDNSFlags() -> String? {
        guard let problem = ResolverConfiguration.problem(server: resolver.server, port: resolver.port,
                                                          timeout: resolver.timeoutSeconds, attempts: resolver.attempts,
                                                          concurrency: concurrency) else { return nil }
        let flag = ["server": "--dns-server", "port": "--dns-port", "timeout": "--timeout", "attempts": "--attempts",
                    "concurrency": "--concurrency"][problem.setting] ?? problem.setting
        return "\(flag) \(problem.message)"
    }
}
