import Dispatch
import Foundation
import LeadRecords
import Synchronization

/// Rows of a staged run in a temporary file beside the store, unlinked as soon as it is opened: a
/// process that dies leaves nothing behind, and the store file is not touched until the commit.
///
/// Each row starts with its length in 4 bytes, so the commit can read the file back in blocks;
/// each value is written as it will be bound (``StagedRowEncoding``): text as a 4-byte length and its
/// UTF-8 bytes, integers and reals as 8 bytes, a missing real as a 0 flag byte. Writing a row here costs a few
/// copies; staging it in an SQLite temporary table cost nearly as much as storing it.
///
/// Rows are read back in primary-key order (their first `keyTexts` texts, compared as SQLite's
/// BINARY collation does), rows with equal keys in the order staged: inserted in key order, a
/// run's rows are appended at the end of the table's B-tree instead of landing on random pages,
/// which made a million-snapshot commit several times faster. The file holds sorted runs of up to
/// 8 MiB, sorted in memory before they are written, and the read merges them.
///
/// A full run is sorted and written on a thread of the file's own while the caller fills the next one: staging
/// runs in decay's in-order step, where every millisecond holds up the chunks behind it.
final class StagingFile: @unchecked Sendable {
    // Used by one thread at a time: filled while a stage stages, then read once by the commit. `sortedRuns`
    // and `fileSize` change only on `writer`, and are read after waiting for it.
    let descriptor: Int32
    /// How many leading texts of a row make its primary key (after `run_id`).
    let keyTexts: Int
    private var buffer: [UInt8] = []
    /// Where each complete row in `buffer` starts.
    private var rowStarts: [Int] = []
    /// The sorted runs already in the file, as byte ranges.
    private(set) var sortedRuns: [Range<off_t>] = []
    private var fileSize: off_t = 0
    private(set) var rows = 0
    /// Where the row being written starts in `buffer`, or -1 between rows.
    private var rowStart = -1
    static let runBytes = 8 << 20
    /// Sorts and writes the full runs, one at a time in the order they were filled.
    private let writer = DispatchQueue(label: "leadhygiene.staging-file")
    /// Runs handed to `writer` and not yet written, at most two (memory stays at three runs' buffers).
    private let runsInFlight = DispatchSemaphore(value: 2)
    /// The first error writing a run met, thrown by the next call that hands one over or reads the file.
    private let writeFailure = Mutex<StagingFileError?>(nil)

    init(directory: String, keyTexts: Int) throws {
        self.keyTexts = keyTexts
        let path = directory + "/.leadhygiene-staging-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        descriptor = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw StagingFileError(path: path, errno: errno) }
        unlink(path)
        buffer.reserveCapacity(Self.runBytes + (1 << 16))
    }

    deinit { close(descriptor) }

    /// Starts a row with room for its length.
    private func beginRowIfNeeded() {
        guard rowStart < 0 else { return }
        rowStart = buffer.count
        buffer.append(contentsOf: [0, 0, 0, 0])
    }

    func append(_ text: String) {
        beginRowIfNeeded()
        StagedRowEncoding.appendText(text, to: &buffer)
    }

    func append(_ value: Int64) {
        beginRowIfNeeded()
        StagedRowEncoding.appendInteger(value, to: &buffer)
    }

    func append(_ value: Double?) {
        beginRowIfNeeded()
        StagedRowEncoding.appendReal(value, to: &buffer)
    }

    /// Appends a row whose values `body` writes (``StagedRowEncoding``) at the end of the buffer it is handed;
    /// when it returns `false` the row is left out (and what it wrote dropped).
    func appendRow(_ body: (inout [UInt8]) throws -> Bool) throws {
        precondition(rowStart < 0, "a row is appended whole, not in the middle of another")
        beginRowIfNeeded()
        guard try body(&buffer) else {
            buffer.removeSubrange(rowStart...)
            rowStart = -1
            return
        }
        try endRow()
    }

    /// Appends whole rows encoded as this file holds them (each a 4-byte length, then its values), one after
    /// the other in `bytes`, each ending where `ends` says: the rows ``appendRow(_:)`` would append one by one.
    func appendRows(_ bytes: [UInt8], ends: [Int]) throws {
        precondition(rowStart < 0, "rows are appended whole, not in the middle of another")
        var start = 0
        for end in ends {
            rowStarts.append(buffer.count)
            buffer.append(contentsOf: bytes[start..<end])
            rows += 1
            start = end
            if buffer.count >= Self.runBytes { try writeSortedRun() }
        }
    }

    /// Ends a row; writes the buffer out once it holds a mebibyte.
    func endRow() throws {
        beginRowIfNeeded()
        let length = UInt32(buffer.count - rowStart - 4).littleEndian
        withUnsafeBytes(of: length) { bytes in
            for i in 0..<4 { buffer[rowStart + i] = bytes[i] }
        }
        rowStarts.append(rowStart)
        rowStart = -1
        rows += 1
        if buffer.count >= Self.runBytes { try writeSortedRun() }
    }

    /// Sorts and writes out the rows still in memory and waits for every run to be written: staging is done
    /// (the commit reads them back in key order).
    func finishRows() throws {
        try writeSortedRun()
        try waitForWrites()
    }

    /// Hands the rows in `buffer` to `writer`, to be sorted by key (equal keys keep their order) and appended to
    /// the file as one run; throws the error an earlier run met.
    private func writeSortedRun() throws {
        if let failure = writeFailure.withLock({ $0 }) { throw failure }
        guard !rowStarts.isEmpty else { return }
        let rows = buffer, starts = rowStarts
        buffer = []
        buffer.reserveCapacity(Self.runBytes + (1 << 16))
        rowStarts = []
        rowStarts.reserveCapacity(starts.count)
        runsInFlight.wait()
        writer.async { [self] in
            defer { runsInFlight.signal() }
            guard writeFailure.withLock({ $0 }) == nil else { return }
            do {
                try appendRun(Self.sorted(rows, starts: starts, keyTexts: keyTexts))
            } catch let error as StagingFileError {
                writeFailure.withLock { $0 = error }
            } catch {
                preconditionFailure("only file errors")
            }
        }
    }

    /// Waits until every run handed over is written; throws the error one met.
    private func waitForWrites() throws {
        writer.sync {}
        if let failure = writeFailure.withLock({ $0 }) { throw failure }
    }

    /// A run's rows in key order (equal keys in the order given), each with its length.
    private static func sorted(_ rows: [UInt8], starts: [Int], keyTexts: Int) -> [UInt8] {
        var sorted = [UInt8]()
        sorted.reserveCapacity(rows.count)
        rows.withUnsafeBytes { raw in
            func row(_ start: Int) -> UnsafeRawBufferPointer {
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
                return UnsafeRawBufferPointer(rebasing: raw[(start + 4)..<(start + 4 + length)])
            }
            // Ordered by the first 8 bytes of the first key text first (most entity ids differ there), then by the
            // whole key, then by place: the order the key comparison alone gives.
            let prefixed = starts.indices.map { (prefix: StagedRowKey.prefix(ofFirstTextOf: row(starts[$0])), index: $0) }
            let order = prefixed.sorted { a, b in
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let order = StagedRowKey.compare(row(starts[a.index]), row(starts[b.index]), texts: keyTexts)
                return order != 0 ? order < 0 : a.index < b.index
            }
            for entry in order {
                let start = starts[entry.index]
                sorted.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[start..<(start + 4 + row(start).count)]))
            }
        }
        return sorted
    }

    /// Appends a sorted run to the file (on `writer`).
    private func appendRun(_ sorted: [UInt8]) throws {
        try sorted.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                guard written > 0 else { throw StagingFileError(path: "staging file", errno: errno) }
                offset += written
            }
        }
        sortedRuns.append(fileSize..<(fileSize + off_t(sorted.count)))
        fileSize += off_t(sorted.count)
    }

    /// Gives the disk space back once the rows are committed or dropped.
    func empty() {
        writer.sync {}
        buffer = []
        rowStarts = []
        sortedRuns = []
        fileSize = 0
        _ = ftruncate(descriptor, 0)
    }

    /// Calls `body` with each row in key order (rows with equal keys in the order written),
    /// merging the file's sorted runs.
    func forEachRowInKeyOrder(_ body: (inout StagingReader) throws -> Void) throws {
        let rows = try rowsInKeyOrder()
        while let row = try rows.next() {
            var reader = StagingReader(bytes: row)
            try body(&reader)
        }
    }

    /// The rows in key order, to be pulled one at a time (``StagedRowMerge/next()``): the commit walks
    /// two files side by side this way (a run's snapshots and, for the same entities, its enrichment values).
    func rowsInKeyOrder() throws -> StagedRowMerge {
        try finishRows()
        return StagedRowMerge(cursors: try sortedRuns.map { try SortedRunCursor(file: self, range: $0) }, keyTexts: keyTexts)
    }
}

/// Merges a staging file's sorted runs into one sequence of rows in key order (equal keys: earlier run first).
final class StagedRowMerge {
    private let cursors: [SortedRunCursor]
    private let keyTexts: Int
    /// A binary min-heap of cursor indices, by current row key then run.
    private var heap: [Int]
    /// The cursor whose row ``next()`` returned last: advanced on the following call.
    private var current: Int?

    init(cursors: [SortedRunCursor], keyTexts: Int) {
        self.cursors = cursors
        self.keyTexts = keyTexts
        heap = cursors.indices.filter { !cursors[$0].isExhausted }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    /// The next row's values (after its length), valid until the next call; `nil` after the last row.
    func next() throws -> UnsafeRawBufferPointer? {
        if let current {
            try cursors[current].advance()
            if cursors[current].isExhausted {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
            self.current = nil
        }
        guard let top = heap.first else { return nil }
        current = top
        return cursors[top].row
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        let order = StagedRowKey.compare(cursors[a].row, cursors[b].row, texts: keyTexts)
        return order != 0 ? order < 0 : a < b
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, precedes(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// Reads a staging file's values back in the order they were written.
struct StagingReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    mutating func text() -> UnsafeRawBufferPointer {
        let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let text = UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<(offset + 4 + count)])
        offset += 4 + count
        return text
    }

    mutating func integer() -> Int64 {
        defer { offset += 8 }
        return Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }

    mutating func real() -> Double? {
        let present = bytes[offset] == 1
        offset += 1
        guard present else { return nil }
        defer { offset += 8 }
        return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
    }
}

/// A staging file could not be created or written.
struct StagingFileError: Error, CustomStringConvertible {
    var path: String
    var errno: Int32
    var description: String { "cannot stage the run's rows in '\(path)': \(String(cString: strerror(errno)))" }
}
