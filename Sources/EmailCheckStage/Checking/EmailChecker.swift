import DomainNames
import LeadFacts
import LeadRecords

/// Checks addresses offline (syntax, normalization, lists, typos) and folds in DNS verdicts.
///
/// Used by the stage for every row and by `leadhygiene check-email` for single addresses.
public struct EmailChecker: Sendable {
    /// The RFC 5321/6531 parser.
    public var syntax: EmailSyntaxChecker
    /// Disposable-mail domains (parents match).
    public var disposable: DomainList { didSet { indexLists() } }
    /// Free consumer mail providers.
    public var freeMail: DomainList { didSet { indexLists() } }
    /// Role local parts.
    public var roleAccounts: RoleAccountList
    /// Domains known to accept any mailbox.
    public var acceptAll: DomainList { didSet { indexLists() } }
    /// The three domain lists above, indexed for one lookup per domain.
    private var lists: DomainListIndex
    /// Domain misspelling rules.
    public var typos: DomainTypoSuggester
    /// Provider rules for identity keys.
    public var identity: MailboxIdentity
    /// Reserved domains no mail reaches (`.test`, `.invalid`, `example.com`).
    public var specialUse = SpecialUseDomains()
    /// The status each list finding gives.
    public var policy: EmailCheckPolicy

    /// A checker from its parts; ``bundled(policy:)`` builds one with the shipped lists.
    public init(syntax: EmailSyntaxChecker, disposable: DomainList, freeMail: DomainList, roleAccounts: RoleAccountList,
                acceptAll: DomainList = DomainList(), typos: DomainTypoSuggester, identity: MailboxIdentity = MailboxIdentity(),
                policy: EmailCheckPolicy = EmailCheckPolicy()) {
        self.syntax = syntax
        self.disposable = disposable
        self.freeMail = freeMail
        self.roleAccounts = roleAccounts
        self.acceptAll = acceptAll
        lists = DomainListIndex(disposable: disposable, freeMail: freeMail, acceptAll: acceptAll)
        self.typos = typos
        self.identity = identity
        self.policy = policy
    }

    /// A checker with the bundled lists.
    public static func bundled(policy: EmailCheckPolicy = EmailCheckPolicy()) -> EmailChecker {
        EmailChecker(syntax: EmailSyntaxChecker(allowAddressLiteral: policy.allowAddressLiteral),
                     disposable: BundledLists.disposable, freeMail: BundledLists.freeMail,
                     roleAccounts: BundledLists.roleAccounts, typos: BundledLists.typos, policy: policy)
    }

    /// Everything that can be decided without DNS; `domainToLookUp` says whether DNS may still change it.
    /// - Parameter memo: per-domain facts shared by the rows of a chunk.
    public func assess(_ input: String, memo: inout [String: DomainFacts]) -> EmailAssessment {
        assess(input, facts: &memo)
    }

    /// ``assess(_:memo:)`` with the domain facts remembered where `memo` keeps them.
    func assess(_ input: String, facts memo: inout some DomainFactsMemo) -> EmailAssessment {
        var result = EmailAssessment(input: input)
        let trimmed = Self.trimmed(input)
        guard !trimmed.isEmpty else {
            result.escalate(to: policy.missingStatus, .emailMissing)
            return result
        }
        var candidate = trimmed
        if let form = NameAddress.split(trimmed) {
            // RFC 5322 §3.4 name-addr: the address is what the angle brackets hold; the detail says so.
            candidate = String(form.address)
            result.displayName = String(form.displayName)
        }
        let address: MailboxAddress
        switch syntax.parse(candidate) {
        case .failure(let problem):
            result.syntaxProblem = problem
            result.escalate(to: .invalid, .emailInvalidSyntax, detail: problem.rawValue)
            // A Japanese, Chinese or Korean input method types `＠` and `ａｂｃ`: the address it meant, suggested
            // (as a misspelt domain's fix is), never rewritten.
            if let halfwidth = Self.halfwidth(candidate), case .success(let meant) = syntax.parse(halfwidth) {
                result.suggestion = meant.normalized
            }
            return result
        case .success(let parsed):
            address = parsed
        }
        result.address = address
        result.normalized = address.normalized
        result.identityKey = identity.key(for: address)
        guard !address.isAddressLiteral else { return result } // nothing to look up or list

        let domain = address.asciiDomain
        if let reserved = specialUse.entry(covering: domain) {
            result.escalate(to: .invalid, .emailSpecialUseDomain, detail: "\(reserved.name) is reserved (\(reserved.rule))")
            return result
        }
        let facts = memo.facts(for: domain) {
            let listed = lists.lookUp(domain)
            return DomainFacts(disposableEntry: listed.disposableEntry, isFreeMail: listed.isFreeMail,
                               isAcceptAll: listed.isAcceptAll, suggestedDomain: typos.suggestion(for: domain))
        }
        if let suggested = facts.suggestedDomain { result.suggestion = address.normalizedLocalPart + "@" + suggested }

        // Most severe first; among equals the first finding names the reason.
        if let entry = facts.disposableEntry { result.note(.emailDisposable, status: policy.disposableStatus, detail: entry) }
        if roleAccounts.contains(localPart: address.localContent) { result.note(.emailRoleAccount, status: policy.roleAccountStatus) }
        if facts.isAcceptAll { result.note(.emailAcceptAll, status: policy.acceptAllStatus) }
        if facts.suggestedDomain != nil { result.note(.emailSuspectedTypo, status: policy.suspectedTypoStatus, detail: result.suggestion) }
        if facts.isFreeMail { result.note(.emailFreeMail, status: policy.freeMailStatus) }
        if result.status != .invalid { result.domainToLookUp = domain }
        return result
    }

    private mutating func indexLists() {
        lists = DomainListIndex(disposable: disposable, freeMail: freeMail, acceptAll: acceptAll)
    }

    /// One address on its own (no memo to share).
    public func assess(_ input: String) -> EmailAssessment {
        var memo: [String: DomainFacts] = [:]
        return assess(input, memo: &memo)
    }

    /// Folds the DNS verdict for `domainToLookUp` into the assessment.
    public func complete(_ assessment: inout EmailAssessment, with verdict: DomainVerdict) {
        assessment.domainVerdict = verdict
        switch verdict {
        case .mailExchangers, .implicitMX:
            break
        case .nonexistent:
            assessment.escalate(to: .invalid, .emailNXDomain)
        case .nullMX:
            assessment.escalate(to: .invalid, .emailNullMX)
        case .noMailHost:
            assessment.escalate(to: .invalid, .emailNoMailHost)
        case .mxUnresolvable(let hosts):
            assessment.escalate(to: .invalid, .emailMXUnresolvable, detail: hosts.joined(separator: ","))
        case .lookupFailed(let why):
            assessment.escalate(to: .unknown, .emailDNSFailure, detail: why)
        }
    }

    /// The domain's mail servers to probe for this assessment, in preference order; empty when probing cannot change it
    /// (the address is invalid, or DNS did not find where its mail goes).
    package func mailHosts(for assessment: EmailAssessment) -> [String] {
        guard assessment.status != .invalid, let domain = assessment.domainToLookUp else { return [] }
        switch assessment.domainVerdict {
        case .mailExchangers(let hosts)?: return hosts
        case .implicitMX?: return [domain] // RFC 5321 §5.1: no MX, the domain itself is the mail host
        default: return []
        }
    }

    /// Folds what the mail server said about the mailbox into the assessment.
    public func complete(_ assessment: inout EmailAssessment, with verdict: SMTPVerdict) {
        switch verdict {
        case .accepted:
            break
        case .mailboxNotFound(let reply):
            assessment.escalate(to: .invalid, .emailMailboxNotFound, detail: reply)
        case .acceptAll(let reply):
            assessment.note(.emailAcceptAll, status: policy.acceptAllStatus, detail: reply)
        case .inconclusive(let why):
            assessment.escalate(to: .unknown, .emailSMTPInconclusive, detail: why)
        }
    }

    /// Leading and trailing white space is cleaning, not syntax: `" jo@x.com\n"` is checked as `jo@x.com`.
    /// So is the Unicode kind a spreadsheet or a web page leaves around a pasted address (NBSP, U+202F,
    /// a zero-width space or byte order mark; normalize trims the white-space kind from `norm_email` too); inside the
    /// address it stays `unsafe_unicode`.
    static func trimmed(_ input: String) -> String {
        let utf8 = input.utf8
        guard let first = utf8.first, let last = utf8.last else { return input }
        if first >= 0x80 || last >= 0x80 { return PastedSpace.trimmed(input) }
        guard Self.isSpace(first) || Self.isSpace(last) else { return input }
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(input[start..<end])
    }

    /// `text` with its fullwidth ASCII forms (U+FF01–U+FF5E: `＠`, `ａ`, `．`) and ideographic full stops as
    /// their ASCII letters, or `nil` when it has none.
    static func halfwidth(_ text: String) -> String? {
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return nil }
        var changed = false
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
                scalars.append(ascii)
                changed = true
            } else if scalar == "\u{3002}" || scalar == "\u{FF61}" {
                scalars.append(".")
                changed = true
            } else {
                scalars.append(scalar)
            }
        }
        return changed ? String(scalars) : nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
