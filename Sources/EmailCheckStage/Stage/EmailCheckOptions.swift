import LeadRecords
import Foundation
import PipelineSpec
#if canImport(Glibc)
import Glibc
#endif

/// The pipeline-file options of `email_check`, and their reading into the stage's settings.
enum EmailCheckOptions {
    static func listSchema(_ what: String, defaultStatus: EmailStatus, bundled: Bool = true) -> OptionSchema {
        OptionSchema([
            OptionSpec("status", .choice(["valid", "risky", "invalid"]), default: .string(defaultStatus.rawValue),
                       "Status given to \(what); `valid` notes it in the report only."),
            OptionSpec("file", .path, bundled
                       ? "Replaces the bundled list with this file (one entry per line, `#` comments)."
                       : "Reads the list from this file (one entry per line, `#` comments)."),
            OptionSpec("add", .list(.string), "Entries added to the list."),
            OptionSpec("remove", .list(.string), "Entries taken off the list."),
        ])
    }

    static let actionChoices = EmailAction.allCases.map(\.rawValue)

    static let schema = OptionSchema([
        OptionSpec("actions", .object(OptionSchema([
            OptionSpec("invalid", .choice(actionChoices), default: .string("reject"), "What happens to rows whose address is invalid."),
            OptionSpec("risky", .choice(actionChoices), default: .string("flag"), "What happens to rows whose address is risky."),
            OptionSpec("unknown", .choice(actionChoices), default: .string("keep"), "What happens to rows whose domain lookup failed."),
        ])), "Per status: `keep` the row, `flag` it (`email_action: flag`), or `reject` it with its reason code. Valid rows are kept."),
        OptionSpec("dns", .object(OptionSchema([
            OptionSpec("enabled", .bool, default: .bool(true), "Look domains up; off checks syntax and lists only."),
            OptionSpec("server", .string, "IPv4 or IPv6 address of the name server to ask (`127.0.0.1`, `::1`); default: the system's (/etc/resolv.conf)."),
            OptionSpec("port", .integer, default: .integer(53), range: 1...65_535, "Port of `server`."),
            OptionSpec("timeout", .integer, default: .integer(2), range: 1...60, "Seconds to wait for the first try; glibc doubles the wait on each retry."),
            OptionSpec("attempts", .integer, default: .integer(2), range: 1...10, "Tries per query before the domain is `unknown`."),
            OptionSpec("concurrency", .integer, default: .integer(16), range: 1...1024, "Most lookups in flight at once."),
            OptionSpec("canary", .string, default: .string("gmail.com"),
                       "A domain that certainly takes mail; if the resolver says it does not, its negative answers count as failures (`unknown`), not invalid. Empty: no test."),
            OptionSpec("on_untrusted", .choice(["skip", "fail"]), default: .string("skip"),
                       "When the resolver denies the canary: `skip` looks nothing up (every domain not in the store is `unknown`, and the run notes it); `fail` stops the run before any row."),
            OptionSpec("cache_days", .integer, default: .integer(7), range: 0...3650,
                       "How long a definitive verdict is reused from the run store (`store:`); failures are never kept."),
        ])), "Domain checks: MX, null MX (RFC 7505), A/AAAA fallback, NXDOMAIN."),
        OptionSpec("smtp", .object(OptionSchema([
            OptionSpec("enabled", .bool, default: .bool(false),
                       "Ask each domain's mail server about the mailbox (EHLO, MAIL FROM, RCPT TO, QUIT; never DATA). Off by default: many networks block outgoing port 25."),
            OptionSpec("helo", .string, default: .string("localhost"), "The name given in EHLO; use a resolvable host name of yours."),
            OptionSpec("mail_from", .string, default: .string(""), "The MAIL FROM address; empty sends the null reverse path `<>`."),
            OptionSpec("timeout", .integer, default: .integer(10), range: 1...120, "Seconds to wait for the connection and for each reply."),
            OptionSpec("per_host", .integer, default: .integer(1), range: 1...16, "Most connections open to one MX host at once."),
            OptionSpec("concurrency", .integer, default: .integer(8), range: 1...256, "Most domains probed at once."),
            OptionSpec("port", .integer, default: .integer(25), range: 1...65_535, "The mail servers' SMTP port."),
            OptionSpec("host_addresses", .map(.string),
                       "MX host → `address` or `address:port` to connect to instead of looking it up (a relay, a test server); when given, unlisted hosts are not contacted."),
            OptionSpec("cache_days", .integer, default: .integer(30), range: 0...3650,
                       "How long an answer about a mailbox (accepted, not found) or a domain (accepts any mailbox or not) is reused from the run store (`store:`); 4xx replies, timeouts and refused connections are never kept. 0 keeps nothing."),
        ])), "SMTP mailbox probing for domains that pass DNS: accepted → valid, 550/551/553 → invalid (`email_mailbox_not_found`), a random mailbox accepted too → `email_accept_all`, 4xx/timeouts → unknown (`email_smtp_inconclusive`)."),
        OptionSpec("special_use_domains", .object(OptionSchema([
            OptionSpec("allow", .list(.string), "Reserved names to accept anyway, such as `[test]` for a staging zone."),
        ])), "Reserved domains (`.test`, `.invalid`, `.localhost`, `.local`, `.onion`, `.arpa`, `.alt`, `.example`, `example.com/net/org`) are `invalid` with `email_special_use_domain`."),
        OptionSpec("allow_ip_literal", .bool, default: .bool(false),
                   "Accept bracketed IP address domains (`jo@[192.0.2.1]`); otherwise they are invalid."),
        OptionSpec("disposable", .object(listSchema("addresses on disposable-mail domains (parent domains match)", defaultStatus: .risky)),
                   "Disposable-mail domains."),
        OptionSpec("role_accounts", .object(listSchema("role mailboxes (info@, sales@, noreply@)", defaultStatus: .risky)),
                   "Role local parts."),
        OptionSpec("free_mail", .object(listSchema("addresses at free consumer mail providers", defaultStatus: .valid)),
                   "Free-mail provider domains."),
        OptionSpec("accept_all", .object(listSchema("addresses on domains known to accept any mailbox", defaultStatus: .risky, bundled: false)),
                   "Accept-all (catch-all) domains you know of; empty by default."),
        OptionSpec("missing", .choice(["invalid", "unknown"]), default: .string("invalid"),
                   "Status of a row with no address; `unknown` lets `actions.unknown` keep such rows."),
        OptionSpec("suspected_typo", .choice(["valid", "risky"]), default: .string("risky"),
                   "Status of an address whose domain looks misspelt (`email_suggestion` holds the fix); never rewritten."),
    ])

    /// The stage's settings read from validated option values (``EmailCheckConfiguration/init(options:)``).
    static func settings(from options: OptionValues) throws -> EmailCheckConfiguration {
        var policy = EmailCheckPolicy()
        policy.allowAddressLiteral = options.bool("allow_ip_literal")
        let disposable = options.object("disposable"), role = options.object("role_accounts")
        let free = options.object("free_mail"), acceptAll = options.object("accept_all")
        policy.disposableStatus = disposable.choice("status", as: EmailStatus.self)
        policy.roleAccountStatus = role.choice("status", as: EmailStatus.self)
        policy.freeMailStatus = free.choice("status", as: EmailStatus.self)
        policy.acceptAllStatus = acceptAll.choice("status", as: EmailStatus.self)
        policy.suspectedTypoStatus = options.choice("suspected_typo", as: EmailStatus.self)
        policy.missingStatus = options.choice("missing", as: EmailStatus.self)

        var checker = EmailChecker.bundled(policy: policy)
        checker.specialUse = SpecialUseDomains(allowing: options.object("special_use_domains").strings("allow"))
        checker.disposable = try domainList(disposable, option: "disposable", bundled: checker.disposable)
        checker.freeMail = try domainList(free, option: "free_mail", bundled: checker.freeMail)
        checker.acceptAll = try domainList(acceptAll, option: "accept_all", bundled: DomainList())
        if let path = role.string("file") {
            checker.roleAccounts = RoleAccountList(text: try read(path, option: "role_accounts"))
        }
        checker.roleAccounts.add(role.strings("add"))
        checker.roleAccounts.remove(role.strings("remove"))

        let actionValues = options.object("actions")
        var actions: [EmailStatus: EmailAction] = [.valid: .keep]
        for status in [EmailStatus.invalid, .risky, .unknown] {
            actions[status] = EmailAction(rawValue: actionValues.string(status.rawValue) ?? "") ?? .keep
        }

        let dns = options.object("dns")
        let server = dns.string("server")
        let port = dns.defaultedInteger("port"), concurrency = dns.defaultedInteger("concurrency")
        let timeout = dns.defaultedInteger("timeout"), attempts = dns.defaultedInteger("attempts")
        if let problem = ResolverConfiguration.problem(server: server, port: port, timeout: timeout, attempts: attempts,
                                                       concurrency: concurrency) {
            throw OptionProblem(option: "dns", "dns.\(problem.setting) \(problem.message)")
        }
        let cacheDays = dns.defaultedInteger("cache_days")
        guard cacheDays >= 0 else { throw OptionProblem(option: "dns", "dns.cache_days must not be negative") }
        return EmailCheckConfiguration(
            checker: checker, actions: actions, dnsEnabled: dns.bool("enabled"),
            resolver: ResolverConfiguration(server: server, port: port, timeoutSeconds: timeout, attempts: attempts),
            concurrency: concurrency, cacheDays: cacheDays, canary: dns.string("canary"),
            failWhenUntrusted: dns.string("on_untrusted") == "fail", smtp: try smtpSettings(options.object("smtp")))
    }

    static func smtpSettings(_ values: OptionValues) throws -> SMTPProbeSettings {
        var smtp = SMTPProbeSettings()
        smtp.enabled = values.bool("enabled")
        smtp.helo = values.defaultedString("helo")
        smtp.mailFrom = values.defaultedString("mail_from")
        smtp.timeout = Double(values.defaultedInteger("timeout"))
        smtp.perHost = values.defaultedInteger("per_host")
        smtp.concurrency = values.defaultedInteger("concurrency")
        smtp.port = values.defaultedInteger("port")
        smtp.cacheDays = values.defaultedInteger("cache_days")
        let map = values.stringMap("host_addresses")
        if !map.isEmpty {
            for (host, target) in map {
                guard let (address, _) = SMTPProber.split(target, defaultPort: smtp.port), ResolverConfiguration.isAddress(address) else {
                    throw OptionProblem(option: "smtp", "smtp.host_addresses.\(host) must be an IP address, optionally with :port, found '\(target)'")
                }
            }
            smtp.hostAddresses = Dictionary(uniqueKeysWithValues: map.map { ($0.key.lowercased(), $0.value) })
        }
        return smtp
    }

    private static func domainList(_ values: OptionValues, option: String, bundled: DomainList) throws -> DomainList {
        var list = bundled
        if let path = values.string("file") { list = DomainList(text: try read(path, option: option)) }
        list.add(values.strings("add"))
        list.remove(values.strings("remove"))
        return list
    }

    private static func read(_ path: String, option: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw OptionProblem(option: option, "cannot read list file '\(path)': \(error.localizedDescription)")
        }
    }
}
