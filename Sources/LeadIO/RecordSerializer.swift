import LeadRecords

/// Writes records as bytes in an output format. Pure, so workers serialize their own chunks and
/// the writer thread only copies bytes.
public struct RecordSerializer: Sendable {
    public let format: RecordFormat
    public let columns: [String]
    /// Whether delimited fields that a spreadsheet would run as a formula get a leading `'` (see ``FormulaGuard``).
    public let guardsFormulas: Bool
    /// For each column, the position in a row's values it is written from; `nil` when column `i` is value `i`.
    public let valuePositions: [Int]?
    /// Whether delimited rows end in CRLF (`output.line_ending: crlf`) rather than LF.
    public let endsRowsInCRLF: Bool
    /// Whether a delimited file starts with a UTF-8 byte order mark (`output.bom`), before its header.
    public let writesByteOrderMark: Bool
    private let quotedKeys: [[UInt8]]

    /// The keys a JSON object gives `columns` (a JSONL output's rows, an envelope's): their names, with a name the
    /// header repeats given as `Name#2`, `Name#3` … from its second column on (as `columns:` maps it), so no key is
    /// given twice (a JSON reader keeps one value of a repeated key, and the binary rejects such a line).
    public static func jsonKeys(_ columns: [String]) -> [String] {
        guard Set(columns).count < columns.count else { return columns }
        var taken = Set(columns)
        var seen: [String: Int] = [:]
        return columns.map { name in
            seen[name, default: 0] += 1
            guard let n = seen[name], n > 1 else { return name }
            var key = "\(name)#\(n)"
            while taken.contains(key) { key += "#" }
            taken.insert(key)
            return key
        }
    }

    /// - Parameter guardsFormulas: prefix `'` to delimited fields a spreadsheet would evaluate
    ///   (`=…`, `@…`, `+cmd|…`); JSONL is written as it is.
    /// - Parameter valuePositions: one per column, the value each column is written from, so a row
    ///   can be written as a few of its values in another order without copying them; `nil` writes the
    ///   values in order.
    /// - Parameter endsRowsInCRLF, writesByteOrderMark: for files opened in Excel; JSONL ignores both.
    public init(format: RecordFormat, columns: [String], valuePositions: [Int]? = nil, guardsFormulas: Bool = false,
                endsRowsInCRLF: Bool = false, writesByteOrderMark: Bool = false) {
        precondition(valuePositions == nil || valuePositions!.count == columns.count,
                     "one value position per column")
        self.format = format
        self.endsRowsInCRLF = endsRowsInCRLF
        self.writesByteOrderMark = writesByteOrderMark
        self.columns = columns
        self.valuePositions = valuePositions
        self.guardsFormulas = guardsFormulas
        // A name the header repeats is a key of its own from its second column on (``jsonKeys(_:)``).
        quotedKeys = Self.jsonKeys(columns).map { Array(Self.jsonString($0).utf8) }
    }

    /// The header line (empty for JSONL, which names keys on every line), after the byte order mark if asked.
    public func header() -> [UInt8] {
        guard case .delimited = format else { return [] }
        var out: [UInt8] = writesByteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        append(columns, at: 0..<columns.count, to: &out)
        return out
    }

    /// Appends one record's packed values (one per column, or picked by ``valuePositions``; missing values are empty).
    public func append(_ fields: PackedFields, to out: inout [UInt8]) {
        if let valuePositions {
            append(fields, at: valuePositions, to: &out)
        } else {
            append(fields, at: 0..<columns.count, to: &out)
        }
    }

    /// Appends `prefix` then a record's packed values as one row (the rejects and merged files' layout).
    public func append(_ prefix: [String], then fields: PackedFields, to out: inout [UInt8]) {
        append(PrefixedRow(prefix: prefix, fields: fields), at: 0..<columns.count, to: &out)
    }

    /// Appends one row of values (one per column, or picked by ``valuePositions``; missing values are empty).
    public func append(_ values: [String], to out: inout [UInt8]) {
        // Specialized twice: the range keeps the unprojected row as fast as before.
        if let valuePositions {
            append(values, at: valuePositions, to: &out)
        } else {
            append(values, at: 0..<columns.count, to: &out)
        }
    }

    /// Appends `values[positions[0]]`, `values[positions[1]]` … as one row; a position past the
    /// values is an empty field.
    @inline(__always)
    private func append<Row: SerializedRow, Positions: Collection<Int>>(_ values: Row, at positions: Positions,
                                                                      to out: inout [UInt8]) {
        switch format {
        case .delimited(let delimiter):
            // One growth of `out` per row, then fields copied with memcpy: appending field by field
            // cost more than scanning them.
            var bound = columns.count + 2
            let crlf = endsRowsInCRLF
            for v in positions where v < values.count { bound += 2 * values.utf8Count(v) + 3 }
            let guardsFormulas = self.guardsFormulas
            let plain = values.surelyNeedsNoQuotes(delimiter: delimiter)
            let start = out.count
            out.append(contentsOf: repeatElement(0, count: bound))
            let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
                let begin = buffer.baseAddress! + start
                var p = begin
                var first = true
                for v in positions {
                    if !first {
                        p.pointee = delimiter
                        p += 1
                    }
                    first = false
                    if v < values.count {
                        p = values.withUTF8(v) {
                            Self.writeDelimitedField($0, delimiter: delimiter, guardsFormulas: guardsFormulas, plain: plain, at: p)
                        }
                    }
                }
                if crlf {
                    p.pointee = UInt8(ascii: "\r")
                    p += 1
                }
                p.pointee = UInt8(ascii: "\n")
                p += 1
                return begin.distance(to: p)
            }
            out.removeLast(bound - written)
        case .jsonl:
            out.append(UInt8(ascii: "{"))
            for (i, v) in positions.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: quotedKeys[i])
                out.append(UInt8(ascii: ":"))
                if v < values.count {
                    values.withUTF8(v) { appendJSONString($0, to: &out) }
                } else {
                    out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\"")])
                }
            }
            out.append(contentsOf: "}\n".utf8)
        }
    }

    /// Writes one field at `p` (quoted when it holds the delimiter, a quote or a line break; with
    /// `guardsFormulas`, after a `'` when a spreadsheet would run it) and returns the position after
    /// it; at most `2 * count + 3` bytes.
    /// - Parameter plain: the row is known to hold no byte that needs quoting.
    @inline(__always)
    private static func writeDelimitedField(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, guardsFormulas: Bool,
                                            plain: Bool, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return p }
        let guarded = guardsFormulas && FormulaGuard.isFormula(bytes)
        guard !plain && needsQuotes(base, bytes.count, delimiter: delimiter) else {
            var q = p
            if guarded {
                q.pointee = UInt8(ascii: "'")
                q += 1
            }
            q.update(from: base, count: bytes.count)
            return q + bytes.count
        }
        var q = p
        q.pointee = UInt8(ascii: "\"")
        q += 1
        if guarded {
            q.pointee = UInt8(ascii: "'")
            q += 1
        }
        for b in bytes {
            if b == UInt8(ascii: "\"") {
                q.pointee = b
                q += 1
            }
            q.pointee = b
            q += 1
        }
        q.pointee = UInt8(ascii: "\"")
        return q + 1
    }

    /// Whether the bytes hold the delimiter, `"`, LF or CR; eight bytes at a time, since nearly no field does.
    static func needsQuotes(_ base: UnsafePointer<UInt8>, _ count: Int, delimiter: UInt8) -> Bool {
        // A whole row's text: sixteen bytes at a time, compared as vectors.
        if count >= 64 { return needsQuotesInLongText(base, count, delimiter: delimiter) }
        let delimiters = ByteWord.repeating(delimiter), quotes = ByteWord.repeating(UInt8(ascii: "\"")),
            newlines = ByteWord.repeating(0x0A), returns = ByteWord.repeating(0x0D)
        return ByteWord.containsAny(base, count, wordMatters: { word in
            (ByteWord.matches(word, delimiters) | ByteWord.matches(word, quotes)
                | ByteWord.matches(word, newlines) | ByteWord.matches(word, returns)) != 0
        }, byteMatters: { b in b == delimiter || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D })
    }

    /// ``needsQuotes(_:_:delimiter:)`` for text of at least sixteen bytes, sixteen at a time (the last sixteen
    /// again, overlapping, for the tail).
    static func needsQuotesInLongText(_ base: UnsafePointer<UInt8>, _ count: Int, delimiter: UInt8) -> Bool {
        let delimiters = SIMD16<UInt8>(repeating: delimiter), quotes = SIMD16<UInt8>(repeating: UInt8(ascii: "\"")),
            newlines = SIMD16<UInt8>(repeating: 0x0A), returns = SIMD16<UInt8>(repeating: 0x0D)
        let raw = UnsafeRawPointer(base)
        @inline(__always) func matters(_ offset: Int) -> Bool {
            let v = raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            return any((v .== delimiters) .| (v .== quotes) .| (v .== newlines) .| (v .== returns))
        }
        var i = 0
        while i + 16 <= count {
            if matters(i) { return true }
            i += 16
        }
        return i < count && matters(count - 16)
    }

    func appendJSONString(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendJSONString($0, to: &out) }
    }

    func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // Nearly no field needs an escape: then it is copied whole.
        if bytes.isEmpty || !Self.needsJSONEscape(bytes.baseAddress!, bytes.count) {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case UInt8(ascii: "\n"): out.append(contentsOf: [92, 110])
            case UInt8(ascii: "\r"): out.append(contentsOf: [92, 114])
            case UInt8(ascii: "\t"): out.append(contentsOf: [92, 116])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether the bytes hold `"`, `\\` or a control character, which JSON escapes; eight bytes at a time.
    static func needsJSONEscape(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let quotes = ByteWord.repeating(UInt8(ascii: "\"")), backslashes = ByteWord.repeating(UInt8(ascii: "\\"))
        return ByteWord.containsAny(base, count, wordMatters: { word in
            (ByteWord.matches(word, quotes) | ByteWord.matches(word, backslashes) | ByteWord.below0x20(word)) != 0
        }, byteMatters: { b in b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 })
    }

    static func jsonString(_ s: String) -> String {
        var out: [UInt8] = []
        var s = s
        s.withUTF8 { RecordSerializer(format: .csv, columns: []).appendJSONString($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A row the serializer can write: values by position as UTF-8 bytes.
protocol SerializedRow {
    var count: Int { get }
    func utf8Count(_ i: Int) -> Int
    func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R
    /// Whether no field holds a byte ``RecordSerializer/needsQuotes(_:_:delimiter:)`` looks for, when the row can
    /// tell at once; `false` has each field checked.
    func surelyNeedsNoQuotes(delimiter: UInt8) -> Bool
}

extension SerializedRow {
    func surelyNeedsNoQuotes(delimiter: UInt8) -> Bool { false }
}

extension Array: SerializedRow where Element == String {
    func utf8Count(_ i: Int) -> Int { self[i].utf8.count }

    func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var value = self[i]
        return try value.withUTF8(body)
    }
}

extension PackedFields: SerializedRow {
    /// One scan of the row's whole text: nearly no row has a field to quote.
    func surelyNeedsNoQuotes(delimiter: UInt8) -> Bool {
        withText { text in text.isEmpty || !RecordSerializer.needsQuotes(text.baseAddress!, text.count, delimiter: delimiter) }
    }
}

/// A few leading values (line, reason, …) before a record's own, as the rejects and merged files write them.
struct PrefixedRow: SerializedRow {
    let prefix: [String]
    let fields: PackedFields

    var count: Int { prefix.count + fields.count }

    func utf8Count(_ i: Int) -> Int { i < prefix.count ? prefix[i].utf8.count : fields.utf8Count(i - prefix.count) }

    func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        i < prefix.count ? try prefix.withUTF8(i, body) : try fields.withUTF8(i - prefix.count, body)
    }
}
