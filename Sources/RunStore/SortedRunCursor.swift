import Foundation

/// Reads one sorted run of a ``StagingFile`` row by row, in blocks, for the merge that gives the
/// commit its rows in key order: memory stays at a block per run, whatever the run's size.
final class SortedRunCursor {
    private let descriptor: Int32
    private var next: off_t
    private let end: off_t
    private var block: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var rowStart = 0
    /// The current row's values (after its length), valid until ``advance()``.
    private(set) var row = UnsafeRawBufferPointer(start: nil, count: 0)
    private(set) var isExhausted = false

    static let blockBytes = 256 << 10

    init(file: StagingFile, range: Range<off_t>) throws {
        descriptor = file.descriptor
        next = range.lowerBound
        end = range.upperBound
        block = .allocate(byteCount: Self.blockBytes, alignment: 8)
        try load(from: 0)
    }

    deinit { block.deallocate() }

    /// Moves to the next row of the run.
    func advance() throws { try load(from: rowStart + 4 + row.count) }

    /// Makes the row at `start` in `block` current, reading more of the run when it is not all there.
    private func load(from start: Int) throws {
        rowStart = start
        while true {
            if filled - rowStart >= 4 {
                let length = Int(UInt32(littleEndian: block.loadUnaligned(fromByteOffset: rowStart, as: UInt32.self)))
                if filled - rowStart >= 4 + length {
                    row = UnsafeRawBufferPointer(rebasing: block[(rowStart + 4)..<(rowStart + 4 + length)])
                    return
                }
                if 4 + length > block.count { grow(to: 4 + length) } // a row longer than the block
            }
            guard next < end else {
                isExhausted = true
                row = UnsafeRawBufferPointer(start: nil, count: 0)
                return
            }
            // Keep the partial row, drop what was read.
            block.copyMemory(from: UnsafeRawBufferPointer(rebasing: block[rowStart..<filled]))
            filled -= rowStart
            rowStart = 0
            let want = min(block.count - filled, Int(end - next))
            let got = pread(descriptor, block.baseAddress! + filled, want, next)
            guard got > 0 else { throw StagingFileError(path: "staging file", errno: got < 0 ? errno : EIO) }
            filled += got
            next += off_t(got)
        }
    }

    private func grow(to count: Int) {
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
        larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: block[0..<filled]))
        block.deallocate()
        block = larger
    }
}

/// The primary key of a staged row: its first texts, ordered as SQLite's BINARY collation orders
/// TEXT (bytes compared as unsigned, then the shorter first), text by text.
enum StagedRowKey {
    /// Negative, zero or positive as the key of row `a` sorts before, with or after row `b`'s.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, texts: Int) -> Int {
        var offsetA = 0, offsetB = 0
        for _ in 0..<texts {
            let countA = Int(UInt32(littleEndian: a.loadUnaligned(fromByteOffset: offsetA, as: UInt32.self)))
            let countB = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: offsetB, as: UInt32.self)))
            let common = min(countA, countB)
            if common > 0 {
                let order = memcmp(a.baseAddress! + offsetA + 4, b.baseAddress! + offsetB + 4, common)
                if order != 0 { return Int(order) }
            }
            if countA != countB { return countA - countB }
            offsetA += 4 + countA
            offsetB += 4 + countB
        }
        return 0
    }

    /// The first up to 8 bytes of a row's first text as a big-endian integer, zeros after a shorter text: rows
    /// whose prefixes differ are in the order of their prefixes (equal prefixes say nothing).
    static func prefix(ofFirstTextOf row: UnsafeRawBufferPointer) -> UInt64 {
        let count = min(8, Int(UInt32(littleEndian: row.loadUnaligned(fromByteOffset: 0, as: UInt32.self))))
        var prefix: UInt64 = 0
        for i in 0..<8 { prefix = prefix << 8 | UInt64(i < count ? row[4 + i] : 0) }
        return prefix
    }

    /// How a row's first text sorts against `text` (bytes without a length), in the same order.
    static func compare(firstTextOf row: UnsafeRawBufferPointer, with text: UnsafeRawBufferPointer) -> Int {
        let count = Int(UInt32(littleEndian: row.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        let common = min(count, text.count)
        if common > 0 {
            let order = memcmp(row.baseAddress! + 4, text.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return count - text.count
    }
}
