/// Facts about one domain that every row with that domain shares; computed once per domain per chunk.
public struct DomainFacts: Sendable {
    var disposableEntry: String?
    var isFreeMail: Bool
    var isAcceptAll: Bool
    var suggestedDomain: String?
}
