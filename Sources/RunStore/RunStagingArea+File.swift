import Foundation
import LeadRecords

/// What one run's stages staged for the store (``RunStagingArea``), written to a file by the task that ran them and
/// read back by the one process that commits the run (`leadhygiene store import`).
///
/// A distributed run's whole-list task reads the store but must not write it: the driver is the store's one writer,
/// and records the run only once the outputs are published. The rows go as the staging files hold them (each row its
/// 4-byte length and the values as they will be bound, in key order), decay's enrichment facts and sets in index
/// order (so the staged rows' set indexes still name them), dedupe's entity-id packs as they are, route's assignments
/// as texts: read back, they are the staging area the task had, and the commit writes what a one-machine run writes.
///
/// Layout (integers little-endian): `LHSTAGE1`, the store's newest run id when the task read it (-1: none), the run's
/// reference time (Unix seconds as a double's bits), then the staged runs, route's assignments and entity-id packs.
public struct StagedRunFile: Sendable {
    /// The store's newest run id when the task opened it (`nil`: no run yet): the import refuses a store that has
    /// recorded another run since, which the task's stages did not see.
    public var baseRunID: Int64?
    /// The run's reference time (`--now`).
    public var referenceTime: Date

    static let magic = Array("LHSTAGE1".utf8)

    public init(baseRunID: Int64?, referenceTime: Date) {
        self.baseRunID = baseRunID
        self.referenceTime = referenceTime
    }

    /// Writes `staging`'s contents to `path` (replacing the file), leaving `staging` as it was.
    public func write(_ staging: RunStagingArea, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw StagedRunFileError.cannotWrite(path)
        }
        defer { try? handle.close() }
        var out = Writer(handle: handle)
        out.bytes(Self.magic)
        out.integer(baseRunID ?? -1)
        out.integer(Int64(bitPattern: referenceTime.timeIntervalSince1970.bitPattern))
        let runs = staging.runs
        out.integer(Int64(runs.count))
        for run in runs {
            out.text(Array(run.pipeline.utf8))
            out.text(Array(run.summaryJSON.utf8))
            let sets = run.enrichmentSets
            out.integer(Int64(sets.factCount))
            for index in 0..<sets.factCount {
                sets.withFact(index) { field, value, source, asOf in
                    for part in [field, value, source, asOf] { out.text(Array(part)) }
                }
            }
            out.integer(Int64(sets.setCount))
            for index in 0..<sets.setCount {
                let facts = try sets.facts(ofSet: index)
                out.integer(Int64(facts.count))
                for fact in facts { out.integer(Int64(fact)) }
            }
            for file in [run.snapshotFile, run.enrichmentFile] {
                out.integer(Int64(file.rows))
                try file.forEachRowInKeyOrder { row in
                    out.text(Array(row.bytes))
                    try out.flushIfFull()
                }
            }
            try out.flush()
        }
        if let assignments = staging.routeAssignments {
            out.integer(Int64(assignments.count))
            for entry in assignments {
                for text in [entry.leadKey, entry.owner, entry.pool] { out.text(Array(text.utf8)) }
            }
        } else {
            out.integer(-1)
        }
        let keys = staging.entityKeys
        out.integer(Int64(keys.count))
        for set in keys {
            out.integer(Int64(set.count))
            out.integer(Int64(set.packs.count))
            for (pack, count) in zip(set.packs, set.packCounts) {
                out.integer(Int64(count))
                out.text(pack)
            }
        }
        try out.flush()
    }

    /// Reads a staged-run file into a new staging area whose staged rows belong to `store` (their staging files are
    /// beside it), ready for ``RunStore/commit(_:staging:outputs:)``.
    public static func read(from path: String, into store: RunStore, adding staging: RunStagingArea) throws -> StagedRunFile {
        // Mapped, not read: the rows are copied once, into the staging files beside the store.
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw StagedRunFileError.cannotRead(path)
        }
        return try data.withUnsafeBytes { raw in
            var input = Reader(bytes: raw, path: path)
            guard try input.take(magic.count) == magic else { throw StagedRunFileError.notStaged(path) }
            let base = try input.integer()
            let time = Date(timeIntervalSince1970: Double(bitPattern: UInt64(bitPattern: try input.integer())))
            let folder = store.stagingFolder
            for _ in 0..<(try input.count()) {
                let pipeline = String(decoding: try input.text(), as: UTF8.self)
                let summary = String(decoding: try input.text(), as: UTF8.self)
                var sets = StagedEnrichmentSets()
                for index in 0..<(try input.count()) {
                    var key: [UInt8] = []
                    for _ in 0..<4 { try input.text().withUnsafeBufferPointer { StagedRowEncoding.appendText($0, to: &key) } }
                    let found = key.withUnsafeBytes { sets.fact(encoded: $0) }
                    guard found == index else { throw StagedRunFileError.notStaged(path) }
                }
                for index in 0..<(try input.count()) {
                    var facts: [Int] = []
                    for _ in 0..<(try input.count()) { facts.append(Int(try input.integer())) }
                    guard sets.set(facts) == index else { throw StagedRunFileError.notStaged(path) }
                }
                var files: [StagingFile] = []
                for _ in 0..<2 {
                    let file = try StagingFile(directory: folder, keyTexts: 1)
                    var rows: [UInt8] = [], ends: [Int] = []
                    for _ in 0..<(try input.count()) {
                        let row = try input.text()
                        withUnsafeBytes(of: UInt32(row.count).littleEndian) { rows.append(contentsOf: $0) }
                        rows.append(contentsOf: row)
                        ends.append(rows.count)
                        if rows.count >= 1 << 20 {
                            try file.appendRows(rows, ends: ends)
                            rows.removeAll(keepingCapacity: true)
                            ends.removeAll(keepingCapacity: true)
                        }
                    }
                    try file.appendRows(rows, ends: ends)
                    try file.finishRows()
                    files.append(file)
                }
                staging.add(StagedRun(store: store, pipeline: pipeline, summaryJSON: summary, snapshotFile: files[0],
                                      enrichmentFile: files[1], enrichmentSets: sets, stagedSnapshots: files[0].rows,
                                      stagingSeconds: 0))
            }
            let assignments = try input.integer()
            if assignments >= 0 {
                var entries: [RouteAssignmentEntry] = []
                for _ in 0..<assignments {
                    let texts = try (0..<3).map { _ in String(decoding: try input.text(), as: UTF8.self) }
                    entries.append(RouteAssignmentEntry(leadKey: texts[0], owner: texts[1], pool: texts[2]))
                }
                staging.stageRouteAssignments(entries)
            }
            for _ in 0..<(try input.count()) {
                let total = try input.count()
                var packs: [[UInt8]] = [], counts: [Int] = []
                for _ in 0..<(try input.count()) {
                    counts.append(try input.count())
                    packs.append(try input.text())
                }
                staging.stageEntityKeys(StagedEntityKeys(packs: packs, packCounts: counts, count: total))
            }
            guard input.isAtEnd else { throw StagedRunFileError.notStaged(path) }
            return StagedRunFile(baseRunID: base < 0 ? nil : base, referenceTime: time)
        }
    }

    /// Buffered little-endian writes to a file.
    private struct Writer {
        let handle: FileHandle
        var buffer: [UInt8] = []

        mutating func bytes(_ bytes: [UInt8]) {
            buffer.append(contentsOf: bytes)
        }

        mutating func integer(_ value: Int64) {
            withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
        }

        mutating func text(_ bytes: [UInt8]) {
            integer(Int64(bytes.count))
            buffer.append(contentsOf: bytes)
        }

        /// Writes the buffer out once it holds a mebibyte: a million leads' rows never wait in memory at once.
        mutating func flushIfFull() throws {
            if buffer.count >= 1 << 20 { try flush() }
        }

        mutating func flush() throws {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Reads what ``Writer`` wrote, refusing a file cut short.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        let path: String
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        mutating func take(_ count: Int) throws -> [UInt8] {
            guard count >= 0, offset + count <= bytes.count else { throw StagedRunFileError.notStaged(path) }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        mutating func integer() throws -> Int64 {
            guard offset + 8 <= bytes.count else { throw StagedRunFileError.notStaged(path) }
            defer { offset += 8 }
            return Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
        }

        mutating func count() throws -> Int {
            let value = try integer()
            guard value >= 0, value <= Int64(bytes.count) else { throw StagedRunFileError.notStaged(path) }
            return Int(value)
        }

        mutating func text() throws -> [UInt8] { try take(count()) }
    }
}

extension StagedEntityKeys {
    /// Packs read back as they were staged (``StagedRunFile``).
    init(packs: [[UInt8]], packCounts: [Int], count: Int) {
        self.packs = packs
        self.packCounts = packCounts
        self.count = count
    }
}

/// A staged-run file could not be written or read.
public enum StagedRunFileError: Error, CustomStringConvertible, Sendable {
    case cannotWrite(String)
    case cannotRead(String)
    /// The file is not a staged run, or was cut short.
    case notStaged(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): "cannot write the staged run to '\(path)'"
        case .cannotRead(let path): "cannot read the staged run '\(path)'"
        case .notStaged(let path): "'\(path)' is not a staged run written by `leadhygiene run --envelope --staged` (or it was cut short)"
        }
    }
}
