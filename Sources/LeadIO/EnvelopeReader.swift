import Foundation
import LeadRecords

/// Reads an encoded input (``EnvelopeWriter/inputHeader(columns:format:sample:)`` then `row` and `reject`
/// lines) as a ``RecordSource``: each row keeps its `seq` as its line, so rejects and merges name the
/// line of the original input whichever partition a row ran in.
///
/// A `row` line's values are handed to ``RecordParser`` as the JSON object they are, without decoding the
/// line; a `reject` line (a row the original input's reader already refused) comes back rejected with its
/// stage-`input` reason, detail and raw text, so every row is accounted for by the run that reads it.
public final class EnvelopeReader: RecordSource {
    public let path: String
    /// The row objects are JSONL.
    public let format = RecordFormat.jsonl
    public let columns: [String]
    /// The format the original input was read as, which decides the output's (a CSV input makes CSV).
    public let originalFormat: RecordFormat
    /// The columns the rows' values have when they come from an earlier run's envelope (every column of its
    /// schema, those its stages added included); `nil` when they have the input's ``columns``.
    public let rowColumns: [String]?
    public let schemaNote: String? = nil
    public private(set) var bytesRead = 0
    public let inputChecksum: String? = nil
    public let encodingNote: String? = nil
    public let delimiterNote: String? = nil
    public let readsInvalidUTF8RowsAsWindows1252 = false
    private let sample: [[String]]
    private let chunkSize: Int
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// Where the unread bytes of `buffer` start.
    private var position = 0
    private var atEnd = false
    private var sequence = 0
    private var lineNumber = 1

    /// Opens `path` (`-` is standard input) and reads its header line.
    /// - Throws: ``InputOutputError`` when it cannot be opened or its first line is no `input` header.
    public init(path: String, chunkSize: Int) throws {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: path) else { throw InputOutputError(path: path, "cannot open for reading") }
            handle = opened
        }
        var headerLine: [UInt8]?
        while headerLine == nil {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                headerLine = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
            } else if !Self.fill(&buffer, from: handle, atEnd: &atEnd, bytesRead: &bytesRead) {
                headerLine = buffer
                buffer = []
            }
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(headerLine ?? [])) as? [String: Any],
              object["kind"] as? String == "input", let columns = object["columns"] as? [String]
        else {
            throw InputOutputError(path: path, "the first line is not an envelope's input header ({\"kind\":\"input\",\"columns\":[…],…})")
        }
        self.columns = columns
        if object["format"] as? String == "jsonl" {
            originalFormat = .jsonl
        } else {
            let delimiter = (object["delimiter"] as? String)?.utf8.first ?? UInt8(ascii: ",")
            originalFormat = .delimited(delimiter: delimiter)
        }
        sample = (object["sample"] as? [[String]]) ?? []
        rowColumns = object["row_columns"] as? [String]
    }

    public func peekRows(limit: Int) -> [[String]] { Array(sample.prefix(limit)) }

    public func nextChunk() throws -> RawChunk? {
        var bytes: [UInt8] = []
        var records: [RawRecord] = []
        var problems: [Int: RawRecordProblem] = [:]
        var carried: [Int: CarriedRow] = [:]
        while records.count < chunkSize {
            guard let line = try nextLine() else { break }
            lineNumber += 1
            if line.isEmpty { continue }
            let entry = try EnvelopeLine(line, lineNumber: lineNumber, path: path)
            let start = bytes.count
            switch entry {
            case .row(let seq, let object):
                bytes.append(contentsOf: line[object])
                records.append(RawRecord(start: start, end: bytes.count, line: seq))
            case .reject(let seq, let reason, let detail, let raw):
                bytes.append(contentsOf: raw.utf8)
                problems[records.count] = RawRecordProblem(reason: reason, detail: detail)
                records.append(RawRecord(start: start, end: bytes.count, line: seq))
            case .carried(let seq, let object, let row):
                bytes.append(contentsOf: line[object])
                carried[records.count] = row
                records.append(RawRecord(start: start, end: bytes.count, line: seq))
            }
        }
        guard !records.isEmpty else { return nil }
        defer { sequence += 1 }
        return RawChunk(sequence: sequence, bytes: bytes, records: records, problems: problems, carried: carried)
    }

    /// The next line without its line break, or `nil` at the end of the input.
    private func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                defer { position = newline + 1 }
                return buffer[position..<newline]
            }
            // Only the unread tail is kept before the next block is appended.
            buffer.removeSubrange(..<position)
            position = 0
            if !Self.fill(&buffer, from: handle, atEnd: &atEnd, bytesRead: &bytesRead) {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = [] }
                return buffer[...]
            }
        }
    }

    /// Appends the next block of the input; `false` at its end.
    private static func fill(_ buffer: inout [UInt8], from handle: FileHandle, atEnd: inout Bool, bytesRead: inout Int) -> Bool {
        guard !atEnd else { return false }
        let block = handle.readData(ofLength: 1 << 20)
        if block.isEmpty {
            atEnd = true
            return false
        }
        bytesRead += block.count
        buffer.append(contentsOf: block)
        return true
    }
}

/// One `row`, `reject` or `carried` line of an envelope.
enum EnvelopeLine {
    /// The row's `seq` and where its `row` object lies in the line.
    case row(seq: Int, object: Range<Int>)
    /// A row the original input's reader refused.
    case reject(seq: Int, reason: ReasonCode, detail: String, raw: String)
    /// A row an earlier segment set aside (``EnvelopeWriter/appendCarried(seq:disposition:raw:fields:to:)``): where
    /// its `row` object lies, and what that segment decided.
    case carried(seq: Int, object: Range<Int>, row: CarriedRow)

    private static let rowPrefix = Array(#","kind":"row","row":"#.utf8)
    private static let carriedPrefix = Array(#","kind":"carried","disposition":"#.utf8)
    private static let carriedRowPrefix = Array(#","row":"#.utf8)
    private static let seqPrefix = Array(#"{"seq":"#.utf8)

    init(_ line: ArraySlice<UInt8>, lineNumber: Int, path: String) throws {
        func malformed(_ why: String) -> InputOutputError {
            InputOutputError(path: path, "envelope line \(lineNumber): \(why)")
        }
        var i = line.startIndex
        guard line.starts(with: Self.seqPrefix) else { throw malformed("it does not start with {\"seq\":") }
        i += Self.seqPrefix.count
        var seq = 0
        let digitsStart = i
        while i < line.endIndex, line[i] >= UInt8(ascii: "0"), line[i] <= UInt8(ascii: "9") {
            seq = seq * 10 + Int(line[i] - UInt8(ascii: "0"))
            i += 1
        }
        guard i > digitsStart else { throw malformed("seq is not a whole number") }
        if line[i...].starts(with: Self.rowPrefix) {
            let objectStart = i + Self.rowPrefix.count
            guard let objectEnd = Self.endOfObject(line, from: objectStart) else { throw malformed("its row object is not closed") }
            self = .row(seq: seq, object: objectStart..<objectEnd)
            return
        }
        if line[i...].starts(with: Self.carriedPrefix) {
            let dispositionStart = i + Self.carriedPrefix.count
            guard let dispositionEnd = Self.endOfObject(line, from: dispositionStart),
                  line[dispositionEnd...].starts(with: Self.carriedRowPrefix),
                  let objectEnd = Self.endOfObject(line, from: dispositionEnd + Self.carriedRowPrefix.count),
                  let row = Self.carriedRow(line[dispositionStart..<dispositionEnd])
            else { throw malformed("a carried line needs a disposition (rejected, or merged_into) and then its row object") }
            self = .carried(seq: seq, object: (dispositionEnd + Self.carriedRowPrefix.count)..<objectEnd, row: row)
            return
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              object["kind"] as? String == "reject", let code = object["reason"] as? String
        else { throw malformed("it is neither a row nor a reject") }
        let reason = ReasonCode.inputCodes.first { $0.code == code } ?? ReasonCode(code, "")
        self = .reject(seq: seq, reason: reason, detail: object["detail"] as? String ?? "", raw: object["raw"] as? String ?? "")
    }

    /// A carried line's `disposition` object: `{"rejected":REASON,"stage":…,"detail":…,"raw":…}` or `{"merged_into":LINE}`.
    private static func carriedRow(_ bytes: ArraySlice<UInt8>) -> CarriedRow? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        if let survivor = object["merged_into"] as? Int { return CarriedRow(disposition: .merged(intoLine: survivor), raw: nil) }
        guard let code = object["rejected"] as? String, let stage = object["stage"] as? String else { return nil }
        // Codes compare by their text, so the summary is not needed to tell them apart (erased_subject among them).
        let reason = ReasonCode.inputCodes.first { $0.code == code } ?? ReasonCode(code, "")
        return CarriedRow(disposition: .rejected(Rejection(reason: reason, stage: stage, detail: object["detail"] as? String ?? "")),
                          raw: object["raw"] as? String)
    }

    /// The index after the `}` that closes the object opening at `start`, strings skipped.
    private static func endOfObject(_ line: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard start < line.endIndex, line[start] == UInt8(ascii: "{") else { return nil }
        var depth = 0
        var inString = false
        var escaped = false
        var i = start
        while i < line.endIndex {
            let b = line[i]
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }
}
