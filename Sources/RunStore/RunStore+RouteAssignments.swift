import GRDB

/// One lead's owner from a routing pool, as the store keeps it between runs.
public struct RouteAssignmentEntry: Sendable, Equatable {
    public var leadKey: String
    public var owner: String
    public var pool: String

    public init(leadKey: String, owner: String, pool: String) {
        self.leadKey = leadKey
        self.owner = owner
        self.pool = pool
    }
}

extension RunStore {
    /// Every lead's owner from the last recorded run that routed it to a pool.
    public func routeAssignments() throws -> [String: RouteAssignmentEntry] {
        try pool.read { db in
            var found: [String: RouteAssignmentEntry] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT lead_key, owner, pool FROM route_assignment")
            while let row = try rows.next() {
                let entry = RouteAssignmentEntry(leadKey: row["lead_key"], owner: row["owner"], pool: row["pool"])
                found[entry.leadKey] = entry
            }
            return found
        }
    }

    /// Keeps a recorded run's assignments (replacing each lead's earlier one) in one transaction.
    ///
    /// The runner does not call this: it commits the assignments route staged with the run row
    /// (``commit(_:staging:outputs:)``).
    public func saveRouteAssignments(_ entries: [RouteAssignmentEntry], runID: Int64) throws {
        try pool.write { db in try Self.insertRouteAssignments(entries, runID: runID, db: db) }
    }

    /// Inserts assignments under `runID`, replacing each lead's earlier one (inside the caller's transaction).
    static func insertRouteAssignments(_ entries: [RouteAssignmentEntry], runID: Int64, db: Database) throws {
        guard !entries.isEmpty else { return }
        let statement = try db.makeStatement(
            sql: "INSERT INTO route_assignment (lead_key, owner, pool, run_id) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT(lead_key) DO UPDATE SET owner = excluded.owner, pool = excluded.pool, run_id = excluded.run_id")
        for entry in entries { try statement.execute(arguments: [entry.leadKey, entry.owner, entry.pool, runID]) }
    }
}
