/// What DNS says about a domain as a mail destination.
public enum DomainVerdict: Sendable, Equatable, CustomStringConvertible {
    /// MX records name these hosts, most preferred first, and at least one of them has a public address.
    ///
    /// Verdicts stored before MX hosts were followed (`mx:` in ``storageForm``) read back as this case too;
    /// they were not checked for addresses, and expire from the cache like any other.
    case mailExchangers([String])
    /// MX records name these hosts, most preferred first, but none has a public A or AAAA address
    /// (NXDOMAIN, no address, or only private, loopback or reserved ones): RFC 5321 §5.1 leaves the
    /// sender nowhere to deliver to.
    case mxUnresolvable([String])
    /// No MX records, but the domain has a public A or AAAA address, which RFC 5321 §5.1 treats as an implicit MX.
    case implicitMX
    /// RFC 7505 null MX (`MX 0 .`): the domain declares that it accepts no mail.
    case nullMX
    /// The domain exists but has neither MX records nor a public address to deliver to.
    case noMailHost
    /// NXDOMAIN: the domain does not exist.
    case nonexistent
    /// The lookup did not give an answer (SERVFAIL, timeout, refused): nothing is known.
    case lookupFailed(String)

    /// Whether the verdict is a real answer, worth keeping across runs; failures are retried next run.
    package var isDefinitive: Bool {
        if case .lookupFailed = self { return false }
        return true
    }

    public var description: String { storageForm }

    /// A one-line text form for persistent caches: `mx:host1,host2`, `mx_unresolvable:host1,host2`,
    /// `implicit_mx`, `null_mx`, `no_mail_host`, `nxdomain`, `failed:why`.
    public var storageForm: String {
        switch self {
        case .mailExchangers(let hosts): "mx:" + hosts.joined(separator: ",")
        case .mxUnresolvable(let hosts): "mx_unresolvable:" + hosts.joined(separator: ",")
        case .implicitMX: "implicit_mx"
        case .nullMX: "null_mx"
        case .noMailHost: "no_mail_host"
        case .nonexistent: "nxdomain"
        case .lookupFailed(let why): "failed:" + why
        }
    }

    /// Reads ``storageForm`` back.
    public init?(storageForm: String) {
        switch storageForm {
        case "implicit_mx": self = .implicitMX
        case "null_mx": self = .nullMX
        case "no_mail_host": self = .noMailHost
        case "nxdomain": self = .nonexistent
        default:
            if storageForm.hasPrefix("mx:") {
                self = .mailExchangers(storageForm.dropFirst(3).split(separator: ",").map(String.init))
            } else if storageForm.hasPrefix("mx_unresolvable:") {
                self = .mxUnresolvable(storageForm.dropFirst(16).split(separator: ",").map(String.init))
            } else if storageForm.hasPrefix("failed:") {
                self = .lookupFailed(String(storageForm.dropFirst(7)))
            } else {
                return nil
            }
        }
    }
}
