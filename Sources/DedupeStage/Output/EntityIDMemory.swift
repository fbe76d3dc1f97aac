import Synchronization

/// Where entity IDs are remembered between runs, so an entity keeps its ID next week even when its rows change.
///
/// The run store (SQLite, `store:` in the pipeline file) implements this; the stage only needs to
/// look up the IDs its record keys had and to save the IDs it gave them.
public protocol EntityIDMemory: Sendable {
    /// The entity ID each of `recordKeys` had after an earlier run; keys never seen are absent.
    func entityIDs(forRecordKeys recordKeys: [String]) throws -> [String: String]
    /// Saves the entity ID of every record key of this run (replacing earlier ones).
    func remember(_ entityIDByRecordKey: [String: String]) throws
}

/// An ``EntityIDMemory`` that lives as long as the process (for embedding and for runs without a store).
package final class InMemoryEntityIDMemory: EntityIDMemory {
    private let table = Mutex<[String: String]>([:])

    public init() {}

    public func entityIDs(forRecordKeys recordKeys: [String]) throws -> [String: String] {
        table.withLock { table in
            var found: [String: String] = [:]
            for key in recordKeys { if let id = table[key] { found[key] = id } }
            return found
        }
    }

    public func remember(_ entityIDByRecordKey: [String: String]) throws {
        table.withLock { $0.merge(entityIDByRecordKey) { _, new in new } }
    }
}
