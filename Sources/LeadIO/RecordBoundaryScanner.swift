import Foundation

/// Finds where records end in delimited text without splitting fields (RFC 4180 quoting).
///
/// A newline inside a quoted field belongs to the field; outside, it ends the record. Records end
/// in LF, CRLF or, once ``endsRecordsAtBareCR`` is set, a CR alone (classic Mac "CSV (Macintosh)"
/// exports); a file may mix them.
/// Runs on the reader thread, so it only tracks quote state and counts lines.
struct RecordBoundaryScanner {
    enum Outcome {
        /// The record ends at `end` (terminator excluded); the next starts at `next`; `lines` newlines were crossed.
        case record(end: Int, next: Int, lines: Int)
        /// The buffer ends inside the record.
        case needMore
        /// The record is longer than the cap; `inQuotes` tells whether a quoted field was still open.
        case tooLong(inQuotes: Bool)
        /// End of input with a quoted field still open.
        case unterminatedQuote
    }

    let delimiter: UInt8
    /// `nil` for JSONL, where a newline always ends the record.
    let quote: UInt8?
    let maxRecordBytes: Int
    /// Whether a CR not followed by LF ends a record too. The reader sets it when it first sees such a
    /// CR, so files without one (nearly all) keep the one-`memchr`-per-line path.
    var endsRecordsAtBareCR = false

    init(delimiter: UInt8, quote: UInt8?, maxRecordBytes: Int) {
        self.delimiter = delimiter
        self.quote = quote
        self.maxRecordBytes = maxRecordBytes
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// ``scan(_:from:atEnd:)`` for a run of records in one buffer: `nextQuote` remembers where the next
    /// quote byte is (start each run with `-1`), so a line without quotes costs one search for its newline
    /// instead of two. Positions are only valid while the buffer is unchanged.
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEnd: Bool, nextQuote: inout Int) -> Outcome {
        guard let quote, let base = bytes.baseAddress, !endsRecordsAtBareCR else { return scan(bytes, from: start, atEnd: atEnd) }
        let limit = min(bytes.count, start + maxRecordBytes + 2)
        guard limit > start, let newline = memchr(base + start, 0x0A, limit - start) else {
            return scan(bytes, from: start, atEnd: atEnd)
        }
        let lineEnd = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
        if nextQuote < start {
            nextQuote = memchr(base + start, Int32(quote), bytes.count - start)
                .map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? bytes.count
        }
        guard nextQuote > lineEnd else { return scan(bytes, from: start, atEnd: atEnd) }
        return Self.record(endingAt: lineEnd, from: start, lines: 1, in: bytes)
    }

    func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEnd: Bool) -> Outcome {
        var state = State.fieldStart
        var lines = 0
        var i = start
        let count = bytes.count
        let limit = min(count, start + maxRecordBytes + 2)
        let lf = UInt8(ascii: "\n")
        if endsRecordsAtBareCR { return scanAllowingBareCR(bytes, from: start, atEnd: atEnd) }
        // Fast path, the common case: the line holds no quote, so its newline ends the record.
        if let base = bytes.baseAddress, limit > start,
           let newline = memchr(base + start, 0x0A, limit - start) {
            let lineEnd = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
            if quote == nil || memchr(base + start, Int32(quote!), lineEnd - start) == nil {
                return Self.record(endingAt: lineEnd, from: start, lines: 1, in: bytes)
            }
        }
        guard let quote else {
            while i < limit {
                if bytes[i] == lf {
                    return Self.record(endingAt: i, from: start, lines: 1, in: bytes)
                }
                i += 1
            }
            return finish(bytes, start: start, end: i, count: count, atEnd: atEnd, inQuotes: false)
        }
        while i < limit {
            let b = bytes[i]
            switch state {
            case .fieldStart, .unquoted, .quoteInQuoted:
                if b == lf {
                    return Self.record(endingAt: i, from: start, lines: lines + 1, in: bytes)
                } else if b == delimiter {
                    state = .fieldStart
                } else if b == quote {
                    // A quote opens a field only at its start; `""` inside a quoted field is an escaped quote.
                    state = state == .fieldStart || state == .quoteInQuoted ? .quoted : .unquoted
                } else if state != .unquoted {
                    state = .unquoted
                }
            case .quoted:
                // Jump to the next quote, counting the newlines passed: a stray quote can make this
                // span thousands of lines, and this thread is the only one reading.
                guard let base = bytes.baseAddress else { break }
                let stop = memchr(base + i, Int32(quote), limit - i).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? limit
                var k = i
                while k < stop, let newline = memchr(base + k, Int32(lf), stop - k) {
                    lines += 1
                    k = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
                }
                if stop == limit {
                    i = limit
                    continue
                }
                state = .quoteInQuoted
                i = stop
            }
            i += 1
        }
        return finish(bytes, start: start, end: i, count: count, atEnd: atEnd, inQuotes: state == .quoted)
    }

    /// ``scan(_:from:atEnd:)`` when a CR alone also ends a record: the same states, with CR, LF and
    /// CRLF each one line end. A CR as the buffer's last byte waits for more input, since an LF may follow.
    private func scanAllowingBareCR(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEnd: Bool) -> Outcome {
        let count = bytes.count
        let limit = min(count, start + maxRecordBytes + 2)
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var state = State.fieldStart
        var lines = 0
        var i = start
        while i < limit {
            let b = bytes[i]
            if state == .quoted {
                if b == quote {
                    state = .quoteInQuoted
                } else if b == lf || b == cr {
                    // A line break inside a quoted field is data; CRLF counts as one line.
                    if b == cr {
                        if i + 1 >= count && !atEnd { return .needMore }
                        if i + 1 < count && bytes[i + 1] == lf { i += 1 }
                    }
                    lines += 1
                }
            } else if b == lf || b == cr {
                var next = i + 1
                if b == cr {
                    if next >= count && !atEnd { return finish(bytes, start: start, end: i, count: count, atEnd: false, inQuotes: false) }
                    if next < count && bytes[next] == lf { next += 1 }
                }
                return .record(end: i, next: next, lines: lines + 1)
            } else if b == delimiter {
                state = .fieldStart
            } else if b == quote {
                state = state == .fieldStart || state == .quoteInQuoted ? .quoted : .unquoted
            } else if state != .unquoted {
                state = .unquoted
            }
            i += 1
        }
        return finish(bytes, start: start, end: i, count: count, atEnd: atEnd, inQuotes: state == .quoted)
    }

    /// Whether `start..<end` holds a CR that is not the first half of a CRLF. A CR as the last byte of
    /// the range counts only at the end of the input (`atEnd`), since the next block may start with LF.
    static func containsBareCR(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, atEnd: Bool) -> Bool {
        guard let base = bytes.baseAddress, start < end else { return false }
        var i = start
        while i < end, let found = memchr(base + i, 0x0D, end - i) {
            let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if at + 1 < end {
                if base[at + 1] != UInt8(ascii: "\n") { return true }
            } else {
                return atEnd
            }
            i = at + 2
        }
        return false
    }

    /// The record from `start` to the newline at `newline`, without the CR of a CRLF.
    @inline(__always)
    private static func record(endingAt newline: Int, from start: Int, lines: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        let end = newline > start && bytes[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
        return .record(end: end, next: newline + 1, lines: lines)
    }

    private func finish(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, count: Int, atEnd: Bool,
                        inQuotes: Bool) -> Outcome {
        if end - start > maxRecordBytes { return .tooLong(inQuotes: inQuotes) }
        guard atEnd else { return .needMore }
        if inQuotes { return .unterminatedQuote }
        // The last record of a file without a final newline.
        let stop = end > start && bytes[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
        return .record(end: stop, next: end, lines: 0)
    }

    /// The index just after the first line end (LF, CRLF, or with `bareCR` a CR alone) at or after
    /// `start`, or `nil` when the buffer has none.
    static func nextLineStart(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, bareCR: Bool = false) -> Int? {
        var i = start
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") { return i + 1 }
            if bareCR && bytes[i] == UInt8(ascii: "\r") {
                return i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") ? i + 2 : i + 1
            }
            i += 1
        }
        return nil
    }
}
