import LeadFacts

/// Facts about one domain that every row with that domain shares; computed once per domain.
public struct DomainFacts: Sendable {
    var disposableEntry: String?
    var isFreeMail: Bool
    var isAcceptAll: Bool
    var suggestedDomain: String?
}

/// Where a check finds the facts of domains it has seen: a dictionary for a single batch (`check-email`), a
/// memo shared by the worker threads for a run.
protocol DomainFactsMemo {
    mutating func facts(for domain: String, orMake make: () -> DomainFacts) -> DomainFacts
}

extension Dictionary: DomainFactsMemo where Key == String, Value == DomainFacts {
    mutating func facts(for domain: String, orMake make: () -> DomainFacts) -> DomainFacts {
        if let known = self[domain] { return known }
        let facts = make()
        self[domain] = facts
        return facts
    }
}

/// A run's domain facts, shared by its worker threads.
struct SharedDomainFacts: DomainFactsMemo {
    let memo: SharedByteMemo<DomainFacts>

    init(_ memo: SharedByteMemo<DomainFacts>) { self.memo = memo }

    func facts(for domain: String, orMake make: () -> DomainFacts) -> DomainFacts { memo.value(domain, orMake: make) }
}
