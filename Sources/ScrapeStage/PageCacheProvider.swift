import Synchronization

/// How the stage finds the persistent ``PageCache`` for a pipeline's `store:`.
///
/// The run store lives in another module; at start-up the library registers a factory here and every
/// `scrape` stage of a pipeline with a `store:` re-fetches only what is older than `max_age`.
/// Without a factory, pages are cached for the run only.
public enum PageCacheProvider {
    /// Opens the page cache of the run store at a path.
    public typealias Factory = @Sendable (_ storePath: String) throws -> any PageCache

    private static let factory = Mutex<Factory?>(nil)

    /// Installs the factory that opens a store's page cache.
    public static func register(_ make: @escaping Factory) { factory.withLock { $0 = make } }

    /// The cache for a store, or `nil` when no factory is registered.
    public static func cache(forStore path: String) throws -> (any PageCache)? {
        guard let make = factory.withLock({ $0 }) else { return nil }
        return try make(path)
    }
}
