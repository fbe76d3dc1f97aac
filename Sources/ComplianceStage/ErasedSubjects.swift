/// The people `leadhygiene forget` erased from the run store, kept as keyed hashes of their mailbox
/// identity (docs/privacy.md): the compliance stage rejects them as `erased_subject` so a later import
/// cannot bring them back.
///
/// Provided through `StageContext.services` by whoever builds the run (the library, on the run store's
/// `erasure_tombstone` table); without a store there is nothing to check.
public protocol ErasedSubjects: Sendable {
    /// Whether the mailbox whose identity key this is was erased.
    func isErased(identityKey: String) -> Bool
}
