import LeadFacts

/// Token-set similarity: the Jaccard overlap of the words, so "Acme Widgets Inc" and "Widgets Acme" agree.
///
/// The definition; comparisons use ``ValueTokens``, which gives the same overlap from word ids made once per value.
package enum TokenSet {
    /// |A ∩ B| / |A ∪ B| over space-separated words; 1 when both are empty.
    package static func jaccard(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let ta = Set(FoldedText.tokens(a).map(Array.init)), tb = Set(FoldedText.tokens(b).map(Array.init))
        if ta.isEmpty && tb.isEmpty { return 1 }
        let common = ta.intersection(tb).count
        return Double(common) / Double(ta.count + tb.count - common)
    }
}
