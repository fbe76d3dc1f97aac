import LeadFacts

/// Suggests the closest valid name for a misspelt one, for "did you mean" messages.
public enum NearestName {
    /// The candidate with the smallest edit distance, if it is close enough to be a plausible typo.
    public static func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
        let needle = Array(name.lowercased().utf8)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = EditDistance.distance(needle, Array(candidate.lowercased().utf8))
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let allowance = max(2, needle.count / 3)
        return best.distance <= allowance ? best.name : nil
    }

    /// ` (did you mean 'x'?)`, or nothing when no candidate is close.
    public static func hint(for name: String, among candidates: some Sequence<String>) -> String {
        suggestion(for: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
