import Dispatch
import Synchronization

/// Rows shared out in blocks to a few threads, each block to whichever thread is free next: rows differ in
/// cost (a cached account against a new company key), so fixed halves would leave one thread waiting.
enum RowBlocks {
    static let size = 4096

    /// The threads worth starting for `rows` rows with `jobs` allowed.
    static func threads(rows: Int, jobs: Int) -> Int { max(1, min(jobs, (rows + size - 1) / size)) }

    /// Runs `work` once on each of `threads` threads, with its index and a function handing out the next
    /// block's rows (`nil` once every block is taken).
    /// The blocks `rows` rows make; block `b` starts at row `b * size`.
    static func blocks(rows: Int) -> Int { (rows + size - 1) / size }

    static func run(rows: Int, threads: Int, _ work: @Sendable (_ thread: Int, _ nextBlock: () -> Range<Int>?) -> Void) {
        let blocks = blocks(rows: rows)
        let next = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            work(thread) {
                let block = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                return block < blocks ? (block * size)..<min(rows, (block + 1) * size) : nil
            }
        }
    }
}
