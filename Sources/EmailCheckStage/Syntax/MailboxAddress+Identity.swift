import LeadFacts

extension MailboxIdentity {
    /// The identity key of a parsed address (see ``MailboxIdentity/key(localPart:asciiDomain:)``).
    public func key(for address: MailboxAddress) -> String {
        key(localPart: address.normalizedLocalPart, asciiDomain: address.asciiDomain)
    }
}
