import Synchronization

/// How the stage finds the persistent ``EntityIDMemory`` for a pipeline's `store:`.
///
/// The run store lives in another module; at start-up the library registers a factory here, and a
/// pipeline with a `store:` keeps each entity's id from one run to the next. Without a factory (or a
/// store), ids are still deterministic from each entity's rows.
public enum EntityIDMemoryProvider {
    /// Opens the entity-id memory of the run store at a path.
    public typealias Factory = @Sendable (_ storePath: String) throws -> any EntityIDMemory

    private static let factory = Mutex<Factory?>(nil)

    /// Installs the factory that opens a store's entity-id memory.
    public static func register(_ make: @escaping Factory) { factory.withLock { $0 = make } }

    /// The memory for a store, or `nil` when no factory is registered.
    public static func memory(forStore path: String) throws -> (any EntityIDMemory)? {
        guard let make = factory.withLock({ $0 }) else { return nil }
        return try make(path)
    }
}
