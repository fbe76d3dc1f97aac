/// Last week's owners, and this run's to keep for next week: how `route` stays stable across runs.
///
/// The run store provides it (`store:` in the pipeline file); the stage keeps a lead with its previous
/// owner while that owner is still a member of the pool the lead routes to.
public protocol AssignmentMemory: Sendable {
    /// The owners of the last recorded run's assignments, by lead key.
    func previousAssignments() throws -> [String: PreviousAssignment]
    /// Hands over this run's assignments; they are kept only if the run is recorded (it succeeds and
    /// publishes), so a failed run leaves last week's owners in place.
    func stage(_ assignments: [LeadAssignment]) throws
}

public struct PreviousAssignment: Sendable, Equatable {
    public var owner: String
    public var pool: String

    public init(owner: String, pool: String) {
        self.owner = owner
        self.pool = pool
    }
}

/// One lead's owner from a pool, as the store keeps it.
public struct LeadAssignment: Sendable, Equatable {
    public var key: String
    public var owner: String
    public var pool: String

    public init(key: String, owner: String, pool: String) {
        self.key = key
        self.owner = owner
        self.pool = pool
    }
}
