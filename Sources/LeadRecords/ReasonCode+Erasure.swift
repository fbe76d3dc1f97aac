extension ReasonCode {
    /// The person was erased with `leadhygiene forget`; the compliance stage rejects the row, and the store
    /// keeps nothing of it (no snapshot), so the erasure holds on every later run.
    public static let erasedSubject = ReasonCode(
        "erased_subject", "The person was erased with `leadhygiene forget` (GDPR Art. 17); the row is rejected, never re-imported.")
}
