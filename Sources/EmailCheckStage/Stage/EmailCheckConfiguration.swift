import PipelineSpec

/// What an `email_check` stage checks addresses with, built from its pipeline-file options.
///
/// `leadhygiene check-email --pipeline FILE` uses it so that one address checked by hand gets the
/// verdict the pipeline's stage would give it: the same list files, additions and removals, statuses
/// and name server.
public struct EmailCheckConfiguration: Sendable {
    /// Syntax rules, lists and statuses.
    public var checker: EmailChecker
    /// Whether domains are looked up at all (`dns.enabled`).
    public var dnsEnabled: Bool
    /// The name server and its timeouts (`dns.server`, `dns.port`, `dns.timeout`, `dns.attempts`).
    public var resolver: ResolverConfiguration
    /// Most lookups in flight (`dns.concurrency`).
    public var concurrency: Int
    /// The domain whose denial makes negative answers untrusted (`dns.canary`); nil or empty = no test.
    public var canary: String?
    /// `dns.on_untrusted: fail`: a resolver that denies the canary stops the check instead of leaving addresses unknown.
    public var failWhenUntrusted: Bool
    /// SMTP mailbox probing (`smtp:`), off unless the pipeline enables it.
    public var smtp: SMTPProbeSettings

    /// Reads validated `email_check` options; the stage's defaults when `options` gives none.
    ///
    /// - Throws: ``OptionProblem`` for an unreadable list file or an out-of-range DNS setting.
    public init(options: OptionValues = OptionValues(schema: EmailCheckStage.descriptor.options)) throws {
        let settings = try EmailCheckOptions.settings(from: options)
        checker = settings.checker
        dnsEnabled = settings.dnsEnabled
        resolver = settings.resolver
        concurrency = settings.concurrency
        canary = settings.canary
        failWhenUntrusted = settings.failWhenUntrusted
        smtp = settings.smtp
    }
}
