/// What `matches_any` found in cells one thread has seen, kept across rows: a list repeats its titles
/// ("VP Sales", "Head of Growth"), and looking a cell up reads its bytes once where searching it reads
/// them again for every phrase set that asks.
///
/// A direct-mapped table keyed by the column and the cell's exact bytes (cells of up to ``longestCell``
/// bytes), each slot holding a found/not-found bit per phrase set (``MatchPhrases/Searcher/id``): a search
/// is a function of those bytes alone, so an answer read from here is the one searching gives. A cell
/// that lands on a taken slot replaces what was there. A column whose cells rarely repeat (emails) stops
/// being looked up once a round of lookups shows it.
///
/// One per ``RowScratch``, so one per thread. Its state lives in memory it owns, reached through `let`
/// pointers: a lookup checks neither an array's uniqueness nor a property's exclusive access.
final class MatchMemo {
    /// The longest cell kept, in bytes: titles fit, longer text is searched each time.
    static let longestCell = 32
    /// Slots in the table (a power of two).
    static let slotCount = 1024
    /// A column is judged every this many lookups: it stays looked up while at most a quarter of them missed.
    static let judgedEvery: Int32 = 256

    struct Slot {
        /// The cell's length + 1; 0 for an empty slot.
        var used: UInt32 = 0
        var column: UInt32 = 0
        var hash: UInt64 = 0
        /// The cell's bytes, the rest zeros.
        var head: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        /// Bit `b` set: the phrase set with bit `b` has been searched for in this cell; `found` holds the answer.
        var known: UInt64 = 0
        var found: UInt64 = 0
    }

    /// Per column: the current row's lookup (its row stamp, the cell's hash and slot), and the round of
    /// lookups that decides whether the column is still looked up.
    private struct ColumnState {
        var stamp: UInt32 = 0
        var slot: Int32 = -1
        var hash: UInt64 = 0
        var lookups: Int32 = 0
        var misses: Int32 = 0
        var off = false
    }

    private let width: Int
    private let columns: UnsafeMutablePointer<ColumnState>
    private let slots: UnsafeMutablePointer<Slot>
    /// The ids of the phrase sets seen, the set with bit `b` at `b` (64 at most); `setCount[0]` of them.
    private let sets: UnsafeMutablePointer<UInt64>
    private let setCount: UnsafeMutablePointer<Int>

    /// A memo for the cells of columns `0 ..< width`.
    init(width: Int) {
        self.width = width
        columns = .allocate(capacity: max(1, width))
        columns.initialize(repeating: ColumnState(), count: max(1, width))
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: Slot(), count: Self.slotCount)
        sets = .allocate(capacity: 64)
        setCount = .allocate(capacity: 1)
        setCount.initialize(to: 0)
    }

    deinit {
        columns.deallocate()
        slots.deallocate()
        sets.deallocate()
        setCount.deallocate()
    }

    /// The bit of the phrase set `id`, taken the first time it is seen; 0 past 64 sets (not kept).
    @inline(__always) func bit(of id: UInt64) -> UInt64 {
        let count = setCount.pointee
        for b in 0..<count where sets[b] == id { return 1 << UInt64(b) }
        guard count < 64 else { return 0 }
        sets[count] = id
        setCount.pointee = count + 1
        return 1 << UInt64(count)
    }

    /// The slot holding `cell`, the cell in `column` of the row stamped `row`, found or taken; `nil` when
    /// the cell is not kept (too long, or its column no longer looked up).
    func slot(_ column: Int, _ cell: UnsafeBufferPointer<UInt8>, row: UInt32) -> UnsafeMutablePointer<Slot>? {
        guard column < width, cell.count <= Self.longestCell, let base = cell.baseAddress else { return nil }
        let state = columns + column
        if state.pointee.stamp == row {
            // Found for this row already, unless another cell of the row has taken the slot since.
            guard state.pointee.slot >= 0 else { return nil }
            let slot = slots + Int(state.pointee.slot)
            if slot.pointee.hash == state.pointee.hash, slot.pointee.column == UInt32(column),
               slot.pointee.used == UInt32(cell.count) + 1 {
                return slot
            }
        }
        state.pointee.stamp = row
        state.pointee.slot = -1
        guard !state.pointee.off else { return nil }
        var head: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &head) { $0.baseAddress!.copyMemory(from: base, byteCount: cell.count) }
        let hash = Self.hash(head, count: cell.count, column: column)
        let index = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
        let slot = slots + index
        state.pointee.lookups += 1
        if !(slot.pointee.used == UInt32(cell.count) + 1 && slot.pointee.hash == hash && slot.pointee.column == UInt32(column)
             && slot.pointee.head == head) {
            state.pointee.misses += 1
            slot.pointee = Slot(used: UInt32(cell.count) + 1, column: UInt32(column), hash: hash, head: head, known: 0, found: 0)
        }
        if state.pointee.lookups == Self.judgedEvery {
            if state.pointee.misses > Self.judgedEvery / 4 { state.pointee.off = true }
            state.pointee.lookups = 0
            state.pointee.misses = 0
        }
        state.pointee.slot = Int32(index)
        state.pointee.hash = hash
        return slot
    }

    /// Forgets which rows the columns' slots were found for (the row stamps start again).
    func forgetRows() {
        for c in 0..<max(1, width) { columns[c].stamp = 0 }
    }

    private static func hash(_ head: (UInt64, UInt64, UInt64, UInt64), count: Int, column: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: count &* 0x1_0000 &+ column) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ head.0) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ head.1 ^ (h >> 31)) &* 0xC4CE_B9FE_1A85_EC53
        h = (h ^ head.2 ^ (h >> 29)) &* 0xFF51_AFD7_ED55_8CCD
        h = (h ^ head.3 ^ (h >> 31)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 32)
    }
}
