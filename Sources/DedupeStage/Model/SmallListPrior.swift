/// How much of u and of a value's term frequency comes from ``ComparatorKind/priorU`` rather than from the list.
///
/// u is measured on random pairs of the list, and a value's frequency on its rows. A list of n rows has only
/// n(n−1)/2 distinct pairs however many are drawn, and its own duplicates are a large share of them: in four rows
/// with one duplicate pair, one pair in six agrees on the e-mail, so the agreement that identifies a person weighs
/// almost nothing. The prior stands in for the pairs and rows a small list lacks: u is estimated as though the list
/// had ``referenceRows`` rows, the missing pairs (and rows, for term frequencies) carrying the prior's u. The
/// prior's weight falls as the list grows and is zero from ``referenceRows`` rows on, where the model is the one
/// the list measures alone.
package enum SmallListPrior {
    /// The list size from which u and term frequencies are measured on the list alone.
    package static let referenceRows = 1000
    /// The distinct pairs of a list of ``referenceRows`` rows.
    static let referencePairs = Double(referenceRows) * Double(referenceRows - 1) / 2

    /// Pseudo-pairs carrying the prior's u beside the random pairs of a list of `rows` rows.
    package static func pseudoPairs(rows: Int) -> Double {
        let distinct = Double(max(rows, 0)) * Double(max(rows - 1, 0)) / 2
        return max(0, referencePairs - distinct)
    }

    /// The share of u that rests on the prior in a list of `rows` rows: 0 from ``referenceRows`` rows on.
    package static func share(rows: Int) -> Double {
        pseudoPairs(rows: rows) / referencePairs
    }

    /// Pseudo-rows carrying the prior's exact-level u beside a field's values in a list of `rows` rows, for its term
    /// frequencies (by the list's rows, as u: a sparse field of a large list keeps its measured frequencies).
    package static func pseudoRows(rows: Int) -> Double {
        Double(max(0, referenceRows - rows))
    }
}
