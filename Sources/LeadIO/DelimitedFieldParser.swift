import LeadRecords

/// Splits one delimited record into fields (RFC 4180): quoted fields may hold delimiters, newlines
/// and doubled quotes. A quote inside an unquoted field is kept as text, as spreadsheets do; text
/// after a closing quote is malformed.
struct DelimitedFieldParser: Sendable {
    let delimiter: UInt8
    let quote = UInt8(ascii: "\"")

    enum Failure: Error {
        case strayQuote(field: Int)
        case invalidUTF8
    }

    /// The first `byte` in `start..<end`, or `end`; eight bytes at a time.
    static func find(_ byte: UInt8, _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard let base = bytes.baseAddress else { return end }
        let raw = UnsafeRawPointer(base)
        let pattern = ByteWord.repeating(byte)
        var i = start
        while i + 8 <= end {
            // On little-endian the lowest flagged byte is the first match.
            let found = ByteWord.matches(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self), pattern)
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < end && base[i] != byte { i += 1 }
        return i
    }

    /// Appends the fields of `bytes[start..<end]` to `out`: strings for headers and sniffing, packed bytes for rows.
    func fields<Sink: FieldSink>(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into out: inout Sink) throws(Failure) {
        if !UTF8Validation.isASCII(bytes, start, end), !UTF8Validation.isValid(bytes, start, end) {
            throw .invalidUTF8
        }
        var i = start
        var scratch: [UInt8] = []
        while true {
            if i < end && bytes[i] == quote {
                // Quoted field: copy until the closing quote, un-doubling "" along the way.
                var j = i + 1
                var segmentStart = j
                scratch.removeAll(keepingCapacity: true)
                var closed = false
                while j < end {
                    if bytes[j] == quote {
                        if j + 1 < end && bytes[j + 1] == quote {
                            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart...j]))
                            j += 2
                            segmentStart = j
                            continue
                        }
                        closed = true
                        break
                    }
                    j += 1
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<j]))
                scratch.withUnsafeBufferPointer { out.appendField($0) }
                guard closed else { throw .strayQuote(field: out.count) }
                j += 1
                if j == end { return }
                guard bytes[j] == delimiter else { throw .strayQuote(field: out.count) }
                i = j + 1
            } else {
                let j = Self.find(delimiter, bytes, from: i, to: end)
                out.appendField(UnsafeBufferPointer(rebasing: bytes[i..<j]))
                if j == end { return }
                i = j + 1
            }
        }
    }
}

/// Where a parser puts the fields it splits off, as UTF-8 bytes.
protocol FieldSink {
    var count: Int { get }
    mutating func appendField(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: FieldSink where Element == String {
    mutating func appendField(_ bytes: UnsafeBufferPointer<UInt8>) { append(String(decoding: bytes, as: UTF8.self)) }
}

extension PackedFieldsBuilder: FieldSink {
    mutating func appendField(_ bytes: UnsafeBufferPointer<UInt8>) { append(bytes) }
}
