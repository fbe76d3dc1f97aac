import LeadFacts
import Synchronization

/// ``TextFolding/fold(_:)`` of the cells that are not ASCII, remembered across rows and threads: a list
/// repeats its "Österreich" and "Directrice Générale", and folding through Foundation costs tens of
/// thousands of instructions where a lookup costs a few hundred. ASCII cells never come here.
enum FoldedCells {
    /// Enough for the distinct non-ASCII values of a column or two; past it, cells are folded each time.
    static let capacity = 10_000
    private static let remembered = Mutex<[String: String]>([:])

    static func fold(_ text: String) -> String {
        if let known = remembered.withLock({ $0[text] }) { return known }
        let folded = TextFolding.fold(text)
        remembered.withLock { if $0.count < capacity { $0[text] = folded } }
        return folded
    }
}
