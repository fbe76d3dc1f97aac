import LeadRecords

/// Streams an input file as ``RawChunk``s: it reads blocks, finds record boundaries and line
/// numbers, and leaves field splitting to ``RecordParser`` on the workers.
///
/// Malformed rows never stop the read: an unterminated quote rejects the line it starts on and
/// reading resumes on the next line; a row over `maxRecordBytes` is rejected and skipped.
public final class RecordReader {
    public let path: String
    /// The format read; for a delimited input whose delimiter was sniffed, with the delimiter chosen.
    public private(set) var format: RecordFormat
    /// Column names from the header (or `column_1…` without one; JSONL: keys in first-seen order).
    public private(set) var columns: [String] = []
    /// Why a JSONL input's columns come from fewer lines than asked (it could not be read twice),
    /// for the run report; `nil` when they come from the lines asked for.
    public private(set) var schemaNote: String?
    /// Positions of header cells that were empty, named `column_N` (a delimiter ending the header line, as some
    /// CRM and ERP exports write every line, leaves one).
    public private(set) var unnamedColumns: [Int] = []
    /// Bytes consumed so far, for progress.
    public private(set) var bytesRead = 0
    /// The encoding the input is read in, and why.
    public private(set) var encoding = EncodingDecision(encoding: .utf8, byteOrderMarkLength: 0, reason: "stated", isStated: true)
    /// What the sniffer chose, for the run's notes, when `sniffsDelimiter` picked something other than `,`.
    public private(set) var delimiterNote: String?
    /// Whether a row that is not valid UTF-8 is read as Windows-1252 rather than rejected: the input was
    /// detected as UTF-8 from its first block (not stated), so a later row in another encoding is the
    /// file's mistake to repair, not the user's.
    public var readsInvalidUTF8RowsAsWindows1252: Bool { encoding.encoding == .utf8 && !encoding.isStated }
    /// The checksum (FNV-1a 64, hex) of every byte read, once the input is read to its end; `nil` unless
    /// asked for with `hashesInput`.
    public var inputChecksum: String? { stream.hash?.hex }
    /// The number of the line reading is at: after the last record, one past the file's last line.
    public var nextLine: Int { line }
    /// Whether the input's last byte read was a line end (or nothing was read): a file that does not end in one
    /// still ends its last line there.
    public var endsWithLineEnd: Bool { buffer.last.map { $0 == 0x0A || $0 == 0x0D } ?? true }

    private let stream: ByteStream
    private var scanner: RecordBoundaryScanner
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var pos = 0
    private var line = 1
    private var sequence = 0
    private let statedEncoding: InputEncoding
    /// `nil` while the input is read as UTF-8, which is then copied as it is.
    private var transcoder: Transcoder?
    private var rawBlock: [UInt8] = []
    private let keyPassProgress: ((_ bytesRead: Int) -> Void)?

    /// Opens the input and reads its header (or, for JSONL, learns its columns from `schemaSample`).
    /// - Parameter schemaSample: JSONL: the lines whose keys become the columns; with
    ///   ``JSONLSchemaSample/wholeInput`` a regular file is read once for its keys before the records.
    /// - Parameter keyPassProgress: called with the bytes read so far after each block of that first pass,
    ///   which reads the whole file before the first record can be.
    /// - Parameter encoding: ``InputEncoding/auto`` decides from a byte order mark and the first block;
    ///   a stated UTF-8 rejects rows that are not (`invalid_utf8`).
    /// - Parameter sniffsDelimiter: a delimited input's delimiter is chosen from its header and first
    ///   rows (``DelimiterSniffer``), the one in `format` when none fits better.
    /// - Parameter hashesInput: keep a checksum of the input's bytes as they are read (``inputChecksum``).
    /// - Parameter linesAboveHeader: delimited input with a header: lines skipped before it, or title lines found.
    /// - Parameter startingLine: the number of the file's first line: a part of a folder is numbered on from the parts
    ///   before it (``PartsRecordReader``), so every line number it gives, in rejects and their details, is the folder's.
    /// - Throws: ``InputOutputError`` when the file cannot be opened or has no header row.
    public init(path: String, format: RecordFormat, hasHeader: Bool = true, maxRecordBytes: Int = 1 << 20,
                chunkSize: Int = 1024, schemaSample: JSONLSchemaSample = .wholeInput, encoding: InputEncoding = .utf8,
                sniffsDelimiter: Bool = false, keyPassProgress: ((_ bytesRead: Int) -> Void)? = nil,
                hashesInput: Bool = false, linesAboveHeader: LinesAboveHeader = .skipped(0), startingLine: Int = 1) throws {
        self.path = path
        line = startingLine
        statedEncoding = encoding
        self.keyPassProgress = keyPassProgress
        self.format = format
        self.chunkSize = max(1, chunkSize)
        stream = try ByteStream(path: path, hashesInput: hashesInput)
        switch format {
        case .delimited(let delimiter):
            scanner = RecordBoundaryScanner(delimiter: delimiter, quote: UInt8(ascii: "\""), maxRecordBytes: maxRecordBytes)
        case .jsonl:
            scanner = RecordBoundaryScanner(delimiter: 0, quote: nil, maxRecordBytes: maxRecordBytes)
        }
        try readFirstBlock()
        if case .delimited = format, let hint = takeSeparatorHint() {
            if sniffsDelimiter { use(delimiter: hint) }
            let name = path == "-" ? "standard input" : "'\(path)'"
            delimiterNote = "\(name) names its delimiter on its first line (sep=\(DelimiterSniffer.display(hint))), as Excel "
                + (sniffsDelimiter ? "reads it; that line is not a row" : "reads it; that line is not a row, and input.delimiter, stated, was used")
        }
        if case .delimited(let stated) = format, hasHeader {
            // From the first block alone: reading on would wait on a pipe whose writer waits for the output.
            try skipLinesAboveHeader(linesAboveHeader, delimiters: sniffsDelimiter && delimiterNote == nil ? DelimiterSniffer.candidates : [stated])
        }
        if sniffsDelimiter, delimiterNote == nil, case .delimited(let stated) = format {
            // A small input is read to its end first, so that its last row (without a newline) counts too.
            if buffer.count - pos < stream.blockSize && !stream.isAtEnd { bytesRead += try readBlock() }
            sniffDelimiter(default: stated)
        }
        switch self.format {
        case .delimited(let delimiter):
            try readHeader(delimiter: delimiter, hasHeader: hasHeader)
        case .jsonl:
            switch schemaSample {
            case .firstLines(let lines):
                try learnJSONColumns(sampleLines: lines)
            case .wholeInput where stream.canRewind:
                try learnJSONColumnsFromWholeInput()
                try stream.rewind()
                buffer = []
                try readFirstBlock()
            case .wholeInput:
                try learnJSONColumns(sampleLines: JSONLSchemaSample.fallbackLines)
                let name = path == "-" ? "standard input" : "'\(path)'"
                schemaNote = "\(name) is not a regular file and cannot be read twice, so its JSONL columns come from its first "
                    + "\(JSONLSchemaSample.fallbackLines) lines, not all; rows with keys first seen later are rejected as "
                    + "jsonl_unexpected_field (read a saved file to learn every key)"
            }
        }
    }

    /// Reads the first block and decides the encoding from it: a UTF-8 input is then read as it is,
    /// any other through a ``Transcoder``.
    private func readFirstBlock() throws {
        pos = 0
        rawBlock.removeAll(keepingCapacity: true)
        bytesRead = try stream.read(appendingTo: &rawBlock)
        encoding = rawBlock.withUnsafeBufferPointer {
            EncodingDecision.decide(statedEncoding, head: $0, headIsWholeInput: stream.isAtEnd)
        }
        let start = encoding.byteOrderMarkLength
        if encoding.encoding == .utf8 {
            transcoder = nil
            swap(&buffer, &rawBlock)
            pos = start
        } else {
            var converter = Transcoder(encoding.encoding)
            buffer.removeAll(keepingCapacity: true)
            rawBlock.withUnsafeBufferPointer {
                converter.transcode(UnsafeBufferPointer(rebasing: $0[start...]), atEnd: stream.isAtEnd, into: &buffer)
            }
            transcoder = converter
        }
        noteBareCR(from: 0)
    }

    /// Consumes Excel's `sep=;` line at the start of the input and returns the delimiter it names. Excel
    /// writes it when asked and reads it to split a file whatever the locale's list separator is; without
    /// this it would be the header and every row below would have the wrong number of fields.
    private func takeSeparatorHint() -> UInt8? {
        let found = buffer.withUnsafeBufferPointer { bytes -> (delimiter: UInt8, next: Int)? in
            let start = pos
            guard bytes.count - start >= 5 else { return nil }
            let prefix = bytes[start..<start + 4].map { $0 | 0x20 }
            guard prefix == Array("sep=".utf8) else { return nil }
            let delimiter = bytes[start + 4]
            guard delimiter != 0x0D, delimiter != 0x0A, delimiter != UInt8(ascii: "\"") else { return nil }
            var next = start + 5
            if next < bytes.count, bytes[next] == 0x0D { next += 1 }
            if next < bytes.count, bytes[next] == 0x0A { next += 1 }
            // The line holds nothing else: `sep=;` and its line end, or the end of the input.
            guard next > start + 5 || next == bytes.count else { return nil }
            return (delimiter, next)
        }
        guard let found else { return nil }
        pos = found.next
        line += 1
        return found.delimiter
    }

    /// Skips what `linesAboveHeader` says is above the header, keeping a note when titles were found.
    private func skipLinesAboveHeader(_ linesAboveHeader: LinesAboveHeader, delimiters: [UInt8]) throws {
        switch linesAboveHeader {
        case .titlesDetected:
            let bareCR = scanner.endsRecordsAtBareCR
            let atEnd = stream.isAtEnd
            let maxRecordBytes = scanner.maxRecordBytes
            guard let found = buffer.withUnsafeBufferPointer({
                TitleLines.find($0, from: pos, atEnd: atEnd, bareCR: bareCR, delimiters: delimiters, maxRecordBytes: maxRecordBytes)
            }) else { return }
            let name = path == "-" ? "standard input" : "'\(path)'"
            let title = TitleLines.shown(found.title)
            schemaNote = "\(name): \(found.titles) title line\(found.titles == 1 ? "" : "s") above its header ('\(title)') "
                + "\(found.titles == 1 ? "was" : "were") skipped, and the header read on line \(line + found.lines); "
                + "input.skip_lines: 0 reads the first line as the header"
            pos = found.headerStart
            line += found.lines
        case .skipped(let count):
            for _ in 0..<count {
                while true {
                    let bareCR = scanner.endsRecordsAtBareCR
                    if let next = buffer.withUnsafeBufferPointer({ RecordBoundaryScanner.nextLineStart($0, from: pos, bareCR: bareCR) }) {
                        pos = next
                        line += 1
                        break
                    }
                    pos = buffer.count
                    if stream.isAtEnd { return }
                    try refill()
                }
            }
        }
    }

    /// Reads fields split by `delimiter` from here on.
    private func use(delimiter: UInt8) {
        format = .delimited(delimiter: delimiter)
        let bareCR = scanner.endsRecordsAtBareCR
        scanner = RecordBoundaryScanner(delimiter: delimiter, quote: UInt8(ascii: "\""), maxRecordBytes: scanner.maxRecordBytes)
        scanner.endsRecordsAtBareCR = bareCR
    }

    /// Picks the delimiter from the buffered header and first rows and keeps why, for the notes.
    private func sniffDelimiter(default stated: UInt8) {
        let bareCR = scanner.endsRecordsAtBareCR
        let atEnd = stream.isAtEnd
        guard let choice = buffer.withUnsafeBufferPointer({
            DelimiterSniffer.sniff($0, from: pos, atEnd: atEnd, bareCR: bareCR)
        }) else { return }
        use(delimiter: choice.delimiter)
        if choice.delimiter != stated {
            let name = path == "-" ? "standard input" : "'\(path)'"
            delimiterNote = "\(name) is delimited by '\(DelimiterSniffer.display(choice.delimiter))' (detected: the header has "
                + "\(choice.headerColumns) columns and \(choice.agreeingRows) of the \(choice.rows) rows after it agree); "
                + "set input.delimiter to choose another"
        }
    }

    /// Appends the next block to `buffer` (as UTF-8) and returns the input bytes it took. Every read goes
    /// through here, so that the first CR that is not part of a CRLF switches the scanner to ending
    /// records at a CR alone.
    private func readBlock() throws -> Int {
        // From the previous block's last byte: a CR there may be the first half of a CRLF split across blocks.
        let checkFrom = max(0, buffer.count - 1)
        let got: Int
        if var converter = transcoder {
            rawBlock.removeAll(keepingCapacity: true)
            got = try stream.read(appendingTo: &rawBlock)
            let atEnd = stream.isAtEnd
            rawBlock.withUnsafeBufferPointer { converter.transcode($0, atEnd: atEnd, into: &buffer) }
            transcoder = converter
        } else {
            got = try stream.read(appendingTo: &buffer)
        }
        noteBareCR(from: checkFrom)
        return got
    }

    private func noteBareCR(from checkFrom: Int) {
        if !scanner.endsRecordsAtBareCR {
            let atEnd = stream.isAtEnd
            scanner.endsRecordsAtBareCR = buffer.withUnsafeBufferPointer {
                RecordBoundaryScanner.containsBareCR($0, from: checkFrom, to: $0.count, atEnd: atEnd)
            }
        }
    }

    /// Up to `limit` of the next records' values, from what is already buffered (the first block), without
    /// consuming them: for deciding how a column writes its dates before the run starts. Rows that
    /// cannot be parsed are left out.
    public func peekRows(limit: Int) -> [[String]] {
        var raws: [RawRecord] = []
        var scanPos = pos
        var scanLine = line
        let atEnd = stream.isAtEnd
        buffer.withUnsafeBufferPointer { bytes in
            while raws.count < limit, scanPos < bytes.count {
                guard case .record(let end, let next, let lines) = scanner.scan(bytes, from: scanPos, atEnd: atEnd) else { break }
                if end > scanPos { raws.append(RawRecord(start: scanPos - pos, end: end - pos, line: scanLine)) }
                scanLine += lines
                scanPos = next
            }
        }
        var parser = RecordParser(format: format, columns: columns)
        parser.readsInvalidUTF8AsWindows1252 = readsInvalidUTF8RowsAsWindows1252
        let chunk = RawChunk(sequence: 0, bytes: Array(buffer[pos..<scanPos]), records: raws)
        return parser.parse(chunk, width: columns.count).records.filter(\.isActive).map(\.values)
    }

    /// The next chunk of up to `chunkSize` records, or `nil` at the end of the input.
    public func nextChunk() throws -> RawChunk? {
        var records: [RawRecord] = []
        records.reserveCapacity(chunkSize)
        var chunkStart = pos
        while records.count < chunkSize {
            if pos >= buffer.count && stream.isAtEnd { break }
            let atEnd = stream.isAtEnd
            // Single-line records, nearly all of them, in one pass over the buffer with the position in
            // locals: each access to this object's properties pays a dynamic exclusivity check.
            var scanPos = pos
            var scanLine = line
            let pending: RecordBoundaryScanner.Outcome? = buffer.withUnsafeBufferPointer { bytes in
                var nextQuote = -1
                while records.count < chunkSize {
                    if scanPos >= bytes.count && atEnd { return nil }
                    let outcome = scanner.scan(bytes, from: scanPos, atEnd: atEnd, nextQuote: &nextQuote)
                    guard case .record(let end, let next, let lines) = outcome, lines <= 1 else { return outcome }
                    if end > scanPos {
                        records.append(RawRecord(start: scanPos - chunkStart, end: end - chunkStart, line: scanLine))
                    }
                    scanLine += lines
                    scanPos = next
                }
                return nil
            }
            pos = scanPos
            line = scanLine
            guard let outcome = pending else { continue }
            switch outcome {
            case .record(let end, let next, let lines):
                if lines > 1, !spansLinesCleanly(end: end) {
                    // A quote opened on this line swallowed the next ones; set this line aside and resume below it.
                    if !records.isEmpty { return emit(records, from: chunkStart) }
                    return try rejectLine(.csvUnterminatedQuote,
                                          detail: "a quoted field opened on this line does not close cleanly; reading resumed on the next line")
                }
                if end > pos {
                    records.append(RawRecord(start: pos - chunkStart, end: end - chunkStart, line: line))
                }
                line += lines
                pos = next
            case .needMore:
                if !records.isEmpty { return emit(records, from: chunkStart) }
                try refill()
                chunkStart = pos
            case .tooLong(let inQuotes):
                if !records.isEmpty { return emit(records, from: chunkStart) }
                if inQuotes && !secondLineIsARow(before: buffer.count) { return try rejectLongRecord() }
                return try rejectLine(inQuotes ? .csvUnterminatedQuote : .recordTooLong,
                                      detail: inQuotes ? "a quoted field is still open after \(scanner.maxRecordBytes) bytes"
                                                       : "row longer than \(scanner.maxRecordBytes) bytes")
            case .unterminatedQuote:
                if !records.isEmpty { return emit(records, from: chunkStart) }
                return try rejectLine(.csvUnterminatedQuote, detail: "a quoted field is still open at the end of the input")
            }
        }
        if records.isEmpty { return nil }
        return emit(records, from: chunkStart)
    }

    /// Whether a record spanning several lines is one real record rather than a stray quote swallowing rows.
    ///
    /// It must split into the header's number of fields, and the line after its first must not be a
    /// complete row on its own: a quoted note's second line is a fragment, a swallowed row is not.
    private func spansLinesCleanly(end: Int) -> Bool {
        guard case .delimited(let delimiter) = format, !columns.isEmpty else { return true }
        // The second line first: it is short, while a stray quote's span can hold thousands of rows.
        if secondLineIsARow(before: end) { return false }
        let parser = DelimitedFieldParser(delimiter: delimiter)
        return buffer.withUnsafeBufferPointer { bytes -> Bool in
            var fields: [String] = []
            return (try? parser.fields(bytes, pos, end, into: &fields)) != nil && fields.count == columns.count
        }
    }

    /// Whether the line after the one at `pos` (ending before `end`) is a complete row by itself: the
    /// header's number of fields and no quote. It tells a stray quote, which swallows whole rows, from a
    /// quoted field that spans lines, whose later lines are fragments.
    private func secondLineIsARow(before end: Int) -> Bool {
        guard case .delimited(let delimiter) = format, !columns.isEmpty else { return false }
        let parser = DelimitedFieldParser(delimiter: delimiter)
        let bareCR = scanner.endsRecordsAtBareCR
        return buffer.withUnsafeBufferPointer { bytes -> Bool in
            guard let secondStart = RecordBoundaryScanner.nextLineStart(bytes, from: pos, bareCR: bareCR), secondStart < end else { return false }
            var secondEnd = RecordBoundaryScanner.nextLineStart(bytes, from: secondStart, bareCR: bareCR).map { $0 - 1 } ?? end
            if secondEnd > secondStart && bytes[secondEnd - 1] == UInt8(ascii: "\r") { secondEnd -= 1 }
            guard secondEnd <= end else { return false }
            var secondFields: [String] = []
            return (try? parser.fields(bytes, secondStart, secondEnd, into: &secondFields)) != nil
                && secondFields.count == columns.count && !bytes[secondStart..<secondEnd].contains(UInt8(ascii: "\""))
        }
    }

    private func emit(_ records: [RawRecord], from chunkStart: Int) -> RawChunk {
        defer { sequence += 1 }
        return RawChunk(sequence: sequence, bytes: Array(buffer[chunkStart..<pos]), records: records)
    }

    /// Drops consumed bytes and reads the next block.
    private func refill() throws {
        if pos > 0 {
            buffer.removeSubrange(0..<pos)
            pos = 0
        }
        bytesRead += try readBlock()
    }

    /// Rejects the physical line at `pos` (keeping a preview of it) and resumes on the next line.
    private func rejectLine(_ reason: ReasonCode, detail: String) throws -> RawChunk {
        let startLine = line
        var preview: [UInt8] = []
        var found = false
        while !found {
            let bareCR = scanner.endsRecordsAtBareCR
            let lineEnd = buffer.withUnsafeBufferPointer { RecordBoundaryScanner.nextLineStart($0, from: pos, bareCR: bareCR) }
            let stop = lineEnd.map { $0 - 1 } ?? buffer.count
            if preview.count < 1024 {
                preview.append(contentsOf: buffer[pos..<min(stop, pos + 1024 - preview.count)])
            }
            if let lineEnd {
                pos = lineEnd
                found = true
            } else {
                pos = buffer.count
                if stream.isAtEnd { break }
                try refill()
            }
        }
        line += 1
        while preview.last == UInt8(ascii: "\r") { preview.removeLast() }
        return rejectedChunk(preview: preview, line: startLine, reason: reason, detail: detail)
    }

    /// A chunk of one rejected record: its preview, where it started, and why.
    private func rejectedChunk(preview: [UInt8], line: Int, reason: ReasonCode, detail: String) -> RawChunk {
        defer { sequence += 1 }
        return RawChunk(sequence: sequence, bytes: preview, records: [RawRecord(start: 0, end: preview.count, line: line)],
                        problems: [0: RawRecordProblem(reason: reason, detail: detail)])
    }

    /// Sets aside, as one reject, a record over `maxRecordBytes` whose quoted field runs over many lines
    /// (a CRM note, a pasted e-mail thread), and resumes after the record's end.
    ///
    /// Resuming on the next line instead would read every line of the field as a row of its own: a
    /// 3-row file with a long note counted 80,002 rows. The record is read through without being held,
    /// so its size does not matter; only a preview of its first line is kept. A quote that never closes
    /// takes the rest of the input with it, as one `csv_unterminated_quote` reject naming the lines.
    private func rejectLongRecord() throws -> RawChunk {
        guard case .delimited(let delimiter) = format else { return try rejectLine(.recordTooLong, detail: "row longer than \(scanner.maxRecordBytes) bytes") }
        let startLine = line
        let bareCR = scanner.endsRecordsAtBareCR
        var preview = buffer.withUnsafeBufferPointer { bytes -> [UInt8] in
            let firstLineEnd = RecordBoundaryScanner.nextLineStart(bytes, from: pos, bareCR: bareCR).map { $0 - 1 } ?? bytes.count
            return Array(bytes[pos..<min(firstLineEnd, pos + 1024)])
        }
        while preview.last == UInt8(ascii: "\r") { preview.removeLast() }
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var inQuotes = false, atFieldStart = true, afterClosingQuote = false
        // A CR just seen: an LF right after it is the same line end, even across a refill.
        var afterCR = false
        var linesCrossed = 0
        // The line of the record's last byte that is not a line end, for the reject's detail.
        var lastLine = startLine
        var ended = false
        while !ended {
            var at = pos
            buffer.withUnsafeBufferPointer { bytes in
                while at < bytes.count {
                    let b = bytes[at]
                    at += 1
                    // Line ends as the scanner counts them: LF, and with bare-CR files CR and CRLF too.
                    if b == lf && afterCR {
                        afterCR = false
                        continue
                    }
                    afterCR = bareCR && b == cr
                    if b == lf || afterCR {
                        linesCrossed += 1
                        if !inQuotes {
                            ended = true
                            return
                        }
                        continue
                    }
                    lastLine = startLine + linesCrossed
                    if inQuotes {
                        if b == quote {
                            inQuotes = false
                            afterClosingQuote = true
                        }
                    } else if b == delimiter {
                        atFieldStart = true
                        afterClosingQuote = false
                    } else if b == quote {
                        // `""` inside a quoted field reopens it: an escaped quote.
                        inQuotes = atFieldStart || afterClosingQuote
                        atFieldStart = false
                        afterClosingQuote = false
                    } else {
                        atFieldStart = false
                        afterClosingQuote = false
                    }
                }
            }
            pos = at
            if ended || stream.isAtEnd { break }
            try refill()
        }
        if ended && afterCR {
            // The LF of a CRLF ending the record may be the next block's first byte.
            if pos >= buffer.count && !stream.isAtEnd { try refill() }
            if pos < buffer.count && buffer[pos] == lf { pos += 1 }
        }
        line += linesCrossed
        let (reason, detail): (ReasonCode, String) = inQuotes
            ? (.csvUnterminatedQuote, "a quoted field opened on this line never closes: lines \(startLine)–\(lastLine), to the end of the input, were set aside with it")
            : (.recordTooLong, "row longer than \(scanner.maxRecordBytes) bytes: a quoted field runs over lines \(startLine)–\(lastLine); reading resumed after it")
        return rejectedChunk(preview: preview, line: startLine, reason: reason, detail: detail)
    }

    private func readHeader(delimiter: UInt8, hasHeader: Bool) throws {
        while true {
            let atEnd = stream.isAtEnd
            let outcome = buffer.withUnsafeBufferPointer { scanner.scan($0, from: pos, atEnd: atEnd) }
            switch outcome {
            case .needMore:
                try refill()
                continue
            case .tooLong, .unterminatedQuote:
                throw InputOutputError(path: path, "line \(line): the header row is malformed (a quoted field never closes or the row is too long)")
            case .record(let end, let next, let lines):
                if end == pos {
                    if next >= buffer.count && stream.isAtEnd {
                        throw InputOutputError(path: path, "the input is empty: no header row")
                    }
                    // Blank lines before the header are skipped.
                    line += lines
                    pos = next
                    continue
                }
                var fields: [String] = []
                let parser = DelimitedFieldParser(delimiter: delimiter)
                do {
                    let start = pos
                    var header = Array(buffer[start..<end])
                    if readsInvalidUTF8RowsAsWindows1252,
                       !header.withUnsafeBufferPointer({ UTF8Validation.isValid($0, 0, $0.count) }) {
                        // A header in another encoding than the UTF-8 rows below it is read as its rows would be.
                        header = header.withUnsafeBufferPointer { Transcoder.windows1252ToUTF8($0) }
                    }
                    try header.withUnsafeBufferPointer { try parser.fields($0, 0, $0.count, into: &fields) }
                } catch {
                    let reason = if case DelimitedFieldParser.Failure.invalidUTF8 = error { "invalid UTF-8" } else { "stray quote" }
                    throw InputOutputError(path: path, "line \(line): the header row is malformed (\(reason))")
                }
                if hasHeader {
                    columns = fields.enumerated().map { $1.isEmpty ? "column_\($0 + 1)" : $1 }
                    unnamedColumns = fields.indices.filter { fields[$0].isEmpty }
                    line += lines
                    pos = next
                } else {
                    columns = (1...max(1, fields.count)).map { "column_\($0)" }
                }
                return
            }
        }
    }

    private func learnJSONColumns(sampleLines: Int) throws {
        // Read ahead (without consuming) until the sample is in the buffer.
        var seen: [String] = []
        var known = Set<String>()
        var offset = pos
        var sampled = 0
        while sampled < sampleLines {
            let atEnd = stream.isAtEnd
            let outcome = buffer.withUnsafeBufferPointer { scanner.scan($0, from: offset, atEnd: atEnd) }
            switch outcome {
            case .needMore:
                if stream.isAtEnd { sampled = sampleLines; continue }
                bytesRead += try readBlock()
                continue
            case .tooLong, .unterminatedQuote:
                sampled = sampleLines
                continue
            case .record(let end, let next, _):
                if end == offset && next >= buffer.count && stream.isAtEnd { sampled = sampleLines; continue }
                let pairs = buffer.withUnsafeBufferPointer { bytes -> [(key: String, value: String)]? in
                    var parser = JSONLineParser(bytes, start: offset, end: end)
                    return try? parser.parseObject()
                }
                for pair in pairs ?? [] where known.insert(pair.key).inserted { seen.append(pair.key) }
                if end > offset { sampled += 1 }
                offset = next
            }
        }
        columns = seen
    }

    /// Collects the keys of every line, in first-seen order, reading the input block by block: only
    /// the key set and one block (plus a line, at most `maxRecordBytes`) are held, whatever the size.
    ///
    /// Lines the real pass will reject (not a JSON object, invalid UTF-8, too long) add no key.
    private func learnJSONColumnsFromWholeInput() throws {
        var seen: [String] = []
        var known = Set<String>()
        // Nearly every line repeats the keys of the one before; comparing their bytes spares
        // decoding and hashing them, which was most of this pass's time.
        var previousKeys: [[UInt8]] = []
        var spans: [Range<Int>] = []
        var skippingLongLine = false
        while true {
            let atEnd = stream.isAtEnd
            if skippingLongLine {
                // The rest of a too-long line: find its end without keeping it.
                let bareCR = scanner.endsRecordsAtBareCR
                if let next = buffer.withUnsafeBufferPointer({ RecordBoundaryScanner.nextLineStart($0, from: pos, bareCR: bareCR) }) {
                    pos = next
                    skippingLongLine = false
                } else {
                    pos = buffer.count
                    if atEnd { break }
                    try refill()
                    keyPassProgress?(bytesRead)
                }
                continue
            }
            let outcome = buffer.withUnsafeBufferPointer { scanner.scan($0, from: pos, atEnd: atEnd) }
            switch outcome {
            case .needMore:
                try refill()
                keyPassProgress?(bytesRead)
            case .tooLong, .unterminatedQuote:
                skippingLongLine = true
            case .record(let end, let next, _):
                if end == pos && next >= buffer.count && atEnd {
                    columns = seen
                    return
                }
                buffer.withUnsafeBufferPointer { bytes in
                    guard UTF8Validation.isASCII(bytes, pos, end) || UTF8Validation.isValid(bytes, pos, end) else { return }
                    spans.removeAll(keepingCapacity: true)
                    var parser = JSONLineParser(bytes, start: pos, end: end)
                    guard (try? parser.keySpans(into: &spans)) != nil else { return }
                    let repeatsPrevious = spans.count == previousKeys.count && zip(spans, previousKeys).allSatisfy { span, previous in
                        span.count == previous.count && previous.elementsEqual(UnsafeBufferPointer(rebasing: bytes[span]))
                    }
                    guard !repeatsPrevious else { return }
                    previousKeys = spans.map { Array(bytes[$0]) }
                    for span in spans {
                        let key = JSONLineParser.key(bytes, at: span)
                        if known.insert(key).inserted { seen.append(key) }
                    }
                }
                pos = next
            }
        }
        columns = seen
    }
}
