/// How far a lead has decayed, written to `decay_status` by decay from its score; read by later stages
/// (scoring, routing) as a value, not as text.
public enum DecayStatus: String, Sendable, CaseIterable {
    case fresh, aging, stale, dead
}
