import Synchronization

/// How the stage finds the persistent ``DomainVerdictCache`` for a pipeline's `store:`.
///
/// The run store lives in another module; at start-up it registers a factory here
/// (`VerdictCacheProvider.register { path in try RunStoreVerdictCache(path: path) }`) and every
/// `email_check` stage of a pipeline with a `store:` reuses verdicts through it. Without a factory,
/// verdicts are cached for the run only.
public enum VerdictCacheProvider {
    /// Opens the verdict cache of the run store at a path.
    public typealias Factory = @Sendable (_ storePath: String) throws -> any DomainVerdictCache

    private static let factory = Mutex<Factory?>(nil)

    /// Installs the factory that opens a store's verdict cache.
    public static func register(_ make: @escaping Factory) { factory.withLock { $0 = make } }

    /// The cache for a store, or `nil` when no factory is registered.
    public static func cache(forStore path: String) throws -> (any DomainVerdictCache)? {
        guard let make = factory.withLock({ $0 }) else { return nil }
        return try make(path)
    }
}
