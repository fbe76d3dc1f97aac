import Foundation

/// The pairs a person should look at: those scored near the threshold and links the chain guard refused.
///
/// CSV columns: `line_a,line_b,key_a,key_b,match_probability,match_weight,decision,explain`.
package struct ReviewFile: Sendable {
    /// One row of the file.
    public struct Entry: Sendable, Equatable {
        public var lineA: Int, lineB: Int
        package var keyA: String, keyB: String
        public var probability: Double, weight: Double
        /// `linked`, `below_threshold` or `refused_chain`.
        public var decision: String
        public var explanation: String
    }

    public var entries: [Entry]

    public static let header = ["line_a", "line_b", "key_a", "key_b", "match_probability", "match_weight", "decision", "explain"]

    /// The CSV text.
    public func csv() -> String {
        var out = Self.header.joined(separator: ",") + "\n"
        for e in entries {
            let cells = [String(e.lineA), String(e.lineB), e.keyA, e.keyB, String(format: "%.4f", e.probability),
                         String(format: "%.2f", e.weight), e.decision, e.explanation]
            out += cells.map(Self.quote).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Writes the file atomically (a temporary file renamed over the target).
    public func write(to path: String) throws {
        try csv().write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
