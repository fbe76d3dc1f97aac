import GRDB

/// The store's SQLite connections, refusing writes when the store was opened read-only.
///
/// Refused here rather than by SQLite: a connection opened `SQLITE_OPEN_READONLY` cannot remove the write-ahead log
/// and shared-memory files it makes beside the store, and `PRAGMA query_only` is switched off again by GRDB after
/// every read on a single connection. So a read-only store is one read-write connection this type never writes with.
struct StoreDatabase: Sendable {
    let connections: any DatabaseWriter
    let refusesWrites: Bool

    func read<T>(_ value: (Database) throws -> T) throws -> T {
        try connections.read(value)
    }

    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        if refusesWrites { throw RunStoreError.readOnly }
        return try connections.write(updates)
    }

    func writeWithoutTransaction<T>(_ updates: (Database) throws -> T) throws -> T {
        if refusesWrites { throw RunStoreError.readOnly }
        return try connections.writeWithoutTransaction(updates)
    }
}
