import Foundation
import LeadRecords

/// Reads a folder of part files (what Spark, Hive, `split` or a chunked export write: `part-00000.csv`,
/// `part-00001.csv` …) as one input, the parts in name order, each through its own ``RecordReader``.
///
/// Lines are numbered on through the parts as `cat` joins them (a part that does not end in a line end still ends its
/// last line there), so a reject's line is one number, and the run's notes say on which line each part starts. A part
/// with a header must have the first part's; a JSONL folder's columns are the keys of every part, in first-seen order.
/// The delimiter and encoding are decided on the first part, as for one file, and every later part is read with them.
public final class PartsRecordReader: RecordSource {
    public let path: String
    /// The part files read, in order, with the line each starts on (filled in as they are reached).
    public private(set) var parts: [(name: String, firstLine: Int)] = []
    public private(set) var format: RecordFormat
    public private(set) var columns: [String]
    public var unnamedColumns: [Int] { first.unnamedColumns }
    public var bytesRead: Int { finishedBytes + current.bytesRead }
    public var encodingNote: String? { first.encoding.note(for: first.path) }
    public var delimiterNote: String? { first.delimiterNote }
    public var readsInvalidUTF8RowsAsWindows1252: Bool { first.readsInvalidUTF8RowsAsWindows1252 }

    /// The checksum of every part's bytes, in order: a folder read twice is recognised as the same input.
    public var inputChecksum: String? {
        guard hashesInput, pending.isEmpty else { return nil }
        var hash = ContentHash()
        for checksum in checksums + [current.inputChecksum ?? ""] { hash.combine(checksum) }
        return hash.hex
    }

    /// How the folder was read, and the first reader's own note (title lines skipped, a JSONL sample).
    public var schemaNote: String? {
        let shown = parts.prefix(Self.partsNamed).map { "\($0.name) (line \($0.firstLine))" }.joined(separator: ", ")
        let more = parts.count > Self.partsNamed ? " and \(parts.count - Self.partsNamed) more, the last from line \(parts[parts.count - 1].firstLine)" : ""
        var note = "'\(path)' is a folder of \(total) part\(total == 1 ? "" : "s"), read in name order with their lines numbered on "
            + "from one part to the next: \(shown)\(more)"
        if skipped > 0 { note += "; \(skipped) empty part\(skipped == 1 ? " was" : "s were") skipped" }
        return [note, first.schemaNote].compactMap { $0 }.joined(separator: "; ")
    }

    private static let partsNamed = 20
    private let first: RecordReader
    private var current: RecordReader
    private var pending: [String]
    private let total: Int
    private let skipped: Int
    private let hashesInput: Bool
    private var checksums: [String] = []
    private var finishedBytes = 0
    private var sequence = 0
    private let reading: Reading

    /// How each part is read: what ``RecordReader`` is given for one file. The first part is read with all of it; a later
    /// one with the delimiter the first decided, no sniffing and no lines above its header.
    public struct Reading {
        public var format: RecordFormat
        public var hasHeader = true
        public var maxRecordBytes = 1 << 20
        public var chunkSize = 1024
        public var schemaSample = JSONLSchemaSample.wholeInput
        /// Each part decides its own from its first block (and byte order mark) when this is auto.
        public var encoding = InputEncoding.utf8
        public var sniffsDelimiter = false
        public var keyPassProgress: ((_ bytesRead: Int) -> Void)?
        public var linesAboveHeader = LinesAboveHeader.skipped(0)

        public init(format: RecordFormat) { self.format = format }
    }

    /// The files of `folder` that are parts: regular, not empty, not hidden, not a Hadoop marker (`_SUCCESS`,
    /// `_committed_…`) or checksum (`.crc`), in name order with numbers compared as numbers (`leads-2` before `leads-10`).
    /// - Returns: the parts, and how many empty ones were left out.
    public static func partFiles(in folder: String) throws -> (parts: [String], empty: Int) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw InputOutputError(path: folder, "cannot list the folder's part files: \(error.localizedDescription)")
        }
        var parts: [String] = []
        var empty = 0
        for name in names where !name.hasPrefix(".") && !name.hasPrefix("_") && !name.hasSuffix(".crc") {
            let path = (folder as NSString).appendingPathComponent(name)
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if info.st_size == 0 { empty += 1 } else { parts.append(path) }
        }
        parts.sort { $0.compare($1, options: .numeric) == .orderedAscending }
        return (parts, empty)
    }

    /// Opens the folder's first part, which decides the delimiter and, with a header, the columns.
    /// - Throws: ``InputOutputError`` when the folder holds no part with data, or a part is a workbook.
    public init(folder: String, reading: Reading, hashesInput: Bool) throws {
        path = folder
        self.reading = reading
        self.hashesInput = hashesInput
        let found = try Self.partFiles(in: folder)
        guard let firstPath = found.parts.first else {
            throw InputOutputError(path: folder, "is a folder with no part file holding data (hidden files, `_` markers and .crc files are not parts)")
        }
        if let workbook = found.parts.first(where: { ["xlsx", "xlsm", "xls"].contains(($0 as NSString).pathExtension.lowercased()) }) {
            throw InputOutputError(path: folder, "holds a workbook ('\((workbook as NSString).lastPathComponent)'): a folder is read as parts of "
                + "one CSV, TSV or JSONL file; name one workbook as the input instead")
        }
        total = found.parts.count
        skipped = found.empty
        first = try RecordReader(path: firstPath, format: reading.format, hasHeader: reading.hasHeader, maxRecordBytes: reading.maxRecordBytes,
                                 chunkSize: reading.chunkSize, schemaSample: reading.schemaSample, encoding: reading.encoding,
                                 sniffsDelimiter: reading.sniffsDelimiter, keyPassProgress: reading.keyPassProgress,
                                 hashesInput: hashesInput, linesAboveHeader: reading.linesAboveHeader)
        current = first
        format = first.format
        columns = first.columns
        pending = Array(found.parts.dropFirst())
        parts = [((firstPath as NSString).lastPathComponent, 1)]
        if case .delimited = format, reading.hasHeader { try checkHeaders() }
        if case .jsonl = first.format {
            // Every part's keys, in first-seen order, as one JSONL file's are learned from all its lines.
            var seen = Set(columns)
            for path in pending {
                for key in try openLater(path, startingLine: 1, learnsKeys: true).columns where seen.insert(key).inserted { columns.append(key) }
            }
        }
    }

    /// Every later part's header against the first's, before any row is read, so `lint` finds a part that does not
    /// belong and a run does not stop on it after hours: a part whose first line is the first part's byte for byte
    /// (the usual case, one short read each) passes; another is opened and its header read as its rows would be.
    private func checkHeaders() throws {
        guard let expected = Self.firstLine(of: (path as NSString).appendingPathComponent(parts[0].name)) else { return }
        for part in pending where Self.firstLine(of: part) != expected {
            let reader = try openLater(part, startingLine: 1, learnsKeys: false)
            if reader.columns != first.columns { throw Self.headerMismatch(part, reader.columns, first: parts[0].name, first.columns) }
        }
    }

    /// A file's first line without its byte order mark and line end, from its first 64 KiB; `nil` when none ends there.
    private static func firstLine(of path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard var bytes = try? handle.read(upToCount: 1 << 16).map(Array.init) else { return nil }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let end = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return nil }
        return Array(bytes[..<end])
    }

    private static func headerMismatch(_ part: String, _ columns: [String], first: String, _ firstColumns: [String]) -> InputOutputError {
        InputOutputError(path: part, "its header (\(shown(columns))) is not the first part's, '\(first)' (\(shown(firstColumns))): "
            + "the parts of a folder are read as one file")
    }

    /// A part after the first, read as the first part decided.
    private func openLater(_ path: String, startingLine: Int, learnsKeys: Bool) throws -> RecordReader {
        try RecordReader(path: path, format: format, hasHeader: reading.hasHeader, maxRecordBytes: reading.maxRecordBytes,
                         chunkSize: reading.chunkSize, schemaSample: learnsKeys ? reading.schemaSample : .firstLines(0),
                         encoding: reading.encoding, sniffsDelimiter: false, hashesInput: hashesInput,
                         linesAboveHeader: .skipped(0), startingLine: startingLine)
    }

    public func peekRows(limit: Int) -> [[String]] { first.peekRows(limit: limit) }

    public func nextChunk() throws -> RawChunk? {
        while true {
            if var chunk = try current.nextChunk() {
                chunk.sequence = sequence
                sequence += 1
                return chunk
            }
            guard !pending.isEmpty else { return nil }
            try openNextPart()
        }
    }

    private func openNextPart() throws {
        let next = pending.removeFirst()
        let startingLine = current.nextLine + (current.endsWithLineEnd ? 0 : 1)
        finishedBytes += current.bytesRead
        if hashesInput { checksums.append(current.inputChecksum ?? "") }
        let reader = try openLater(next, startingLine: startingLine, learnsKeys: false)
        // Checked before reading too (``checkHeaders()``); a part rewritten meanwhile is caught here.
        if case .delimited = format, reading.hasHeader, reader.columns != first.columns {
            throw Self.headerMismatch(next, reader.columns, first: parts[0].name, first.columns)
        }
        parts.append(((next as NSString).lastPathComponent, startingLine))
        current = reader
    }

    private static func shown(_ columns: [String]) -> String {
        columns.count <= 8 ? columns.joined(separator: ", ") : columns.prefix(8).joined(separator: ", ") + ", … (\(columns.count) columns)"
    }
}
