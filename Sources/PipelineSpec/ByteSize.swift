/// A size written for people: `3GiB`, `800 MB`, `1048576`.
public enum ByteSize {
    private static let units: [(suffix: String, factor: Int)] = [
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("tib", 1 << 40),
        ("kb", 1_000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("tb", 1_000_000_000_000),
        ("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30), ("t", 1 << 40), ("b", 1),
    ]

    /// The bytes `text` stands for; `nil` when it is not a size or would overflow.
    public static func parse(_ text: String) -> Int? {
        let lowered = text.lowercased().filter { $0 != " " && $0 != "_" }
        for unit in units where lowered.hasSuffix(unit.suffix) {
            guard let number = Double(lowered.dropLast(unit.suffix.count)), number >= 0 else { return nil }
            let bytes = number * Double(unit.factor)
            return bytes < Double(Int.max / 2) ? Int(bytes) : nil
        }
        return Int(lowered)
    }
}
