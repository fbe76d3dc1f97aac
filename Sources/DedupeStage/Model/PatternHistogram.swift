/// A pattern histogram as a list in one fixed order (by the pattern's bits).
///
/// Swift seeds every dictionary's hashing per process, so iterating a `[ComparisonPattern: Int]`
/// visits the patterns in a different order on every run; floating-point sums over that order differ in
/// their last digits from run to run. Every sum the model takes goes over this order instead, so the
/// weights, the prior and the report are the same on every run, whatever the job count or the machine
/// (and whether the histogram was counted on one machine or summed from Spark partitions).
package enum PatternHistogram {
    /// The histogram's entries sorted by pattern bits, counts as `Double` (exact up to 2^53 pairs).
    package static func ordered(_ histogram: [ComparisonPattern: Int]) -> [(pattern: ComparisonPattern, count: Double)] {
        histogram.map { (pattern: $0.key, count: Double($0.value)) }.sorted { $0.pattern.bits < $1.pattern.bits }
    }
}
