import LeadRecords
import RowExpressions

/// `account_id`, `account_match` and `account_owner` for every outcome of matching a lead to an account
/// (each account met by domain or by name, and no account with each match), made once as bytes: the
/// parallel pass reads a lead's three cells from here as an ``RowExpressions/OverlaidRow`` while the rules
/// run, so the row is written only once, with its routing columns.
///
/// A class owning raw buffers, allocated once and freed in `deinit`, so reading a lead's cells is two loads.
final class AccountCells: @unchecked Sendable { // written once in init, then only read
    /// Outcome `o`'s cells are `bytes[starts[o] ..< starts[o + 1]]`, id, match and owner back to back; its
    /// three ends (relative to its start) are `ends[3o ..< 3o + 3]`.
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let starts: UnsafeMutableBufferPointer<Int>
    private let ends: UnsafeMutableBufferPointer<UInt32>

    /// The cells of every outcome, for the book's `accounts` (each one's id and owner).
    init(accounts: [(id: String, owner: String)]) {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        var ends: [UInt32] = []
        for account in [(id: "", owner: "")] + accounts {
            for match in AccountBook.Match.allCases {
                let start = bytes.count
                for cell in [account.id, match.rawValue, account.owner] {
                    bytes.append(contentsOf: cell.utf8)
                    ends.append(UInt32(bytes.count - start))
                }
                starts.append(bytes.count)
            }
        }
        self.bytes = Self.copy(bytes)
        self.starts = Self.copy(starts)
        self.ends = Self.copy(ends)
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
        ends.deallocate()
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }

    /// The row `fields` with the columns `run` (id, match, owner) read as a lead that met `account` (`nil`
    /// for none) by `match` has them.
    func overlaying(_ fields: PackedFields, run: Range<Int>, _ match: AccountBook.Match, account: Int?) -> OverlaidRow {
        let o = outcome(match, account)
        return OverlaidRow(fields, run: run, text: UnsafeBufferPointer(rebasing: bytes[starts[o]..<starts[o + 1]]),
                           ends: UnsafeBufferPointer(rebasing: ends[(3 * o)..<(3 * o + 3)]))
    }

    /// Calls `body` with cell `k` (0 id, 1 match, 2 owner) of a lead that met `account` by `match`.
    func withCell<R>(_ k: Int, _ match: AccountBook.Match, account: Int?, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let o = outcome(match, account)
        let start = starts[o] + (k == 0 ? 0 : Int(ends[3 * o + k - 1]))
        return body(UnsafeBufferPointer(rebasing: bytes[start..<(starts[o] + Int(ends[3 * o + k]))]))
    }

    private func outcome(_ match: AccountBook.Match, _ account: Int?) -> Int {
        ((account ?? -1) + 1) * AccountBook.Match.allCases.count + match.slot
    }
}
