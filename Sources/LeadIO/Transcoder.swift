/// Turns blocks of an input in a single-byte encoding or UTF-16 into UTF-8, so the scanner and parser
/// only ever see UTF-8. Bytes that a block ends in the middle of (half a UTF-16 unit or surrogate pair)
/// are carried to the next block.
struct Transcoder {
    let encoding: InputEncoding
    private var carry: [UInt8] = []

    init(_ encoding: InputEncoding) { self.encoding = encoding }

    /// Windows-1252's 0x80–0x9F; the five bytes it leaves undefined map to the C1 control of the same
    /// number, as browsers do (WHATWG Encoding), so no byte is lost.
    static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Mac OS Roman's 0x80–0xFF, the encoding of Excel for Mac's "CSV (Macintosh)": accented letters sit
    /// where Windows-1252 has punctuation (`é` is 0x8E, Windows-1252's `Ž`).
    static let macRomanHigh: [UInt16] = [
        0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8,
        0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3, 0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC,
        0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
        0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8,
        0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB, 0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153,
        0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
        0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4,
        0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC, 0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
    ]

    /// Appends `input` as UTF-8 to `out`; with `atEnd`, whatever is still carried is flushed (a lone half
    /// unit becomes U+FFFD).
    mutating func transcode(_ input: UnsafeBufferPointer<UInt8>, atEnd: Bool, into out: inout [UInt8]) {
        switch encoding {
        case .windows1252, .iso8859_1, .macRoman:
            out.reserveCapacity(out.count + input.count + input.count / 8)
            let table = encoding == .windows1252 ? Self.windows1252High : nil
            let highTable = encoding == .macRoman ? Self.macRomanHigh : nil
            var i = 0
            let count = input.count
            while i < count {
                // Runs of ASCII, nearly all of a lead list, are copied as they are.
                let runStart = i
                while i < count && input[i] < 0x80 { i += 1 }
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<i])) }
                guard i < count else { break }
                let b = input[i]
                let scalar =
                    if let highTable { UInt32(highTable[Int(b) - 0x80]) }
                    else { b < 0xA0 ? (table.map { UInt32($0[Int(b) - 0x80]) } ?? UInt32(b)) : UInt32(b) }
                Self.appendUTF8(scalar, to: &out)
                i += 1
            }
        case .utf16LE, .utf16BE, .utf16:
            var bytes = carry
            bytes.append(contentsOf: input)
            carry = []
            let bigEndian = encoding == .utf16BE
            var i = 0
            var pendingHigh: UInt32?
            func unit(_ k: Int) -> UInt32 {
                bigEndian ? UInt32(bytes[k]) << 8 | UInt32(bytes[k + 1]) : UInt32(bytes[k + 1]) << 8 | UInt32(bytes[k])
            }
            while i + 1 < bytes.count {
                let u = unit(i)
                if let high = pendingHigh {
                    pendingHigh = nil
                    if (0xDC00...0xDFFF).contains(u) {
                        Self.appendUTF8(0x10000 + ((high - 0xD800) << 10) + (u - 0xDC00), to: &out)
                        i += 2
                        continue
                    }
                    Self.appendUTF8(0xFFFD, to: &out)
                }
                if (0xD800...0xDBFF).contains(u) {
                    pendingHigh = u
                } else if (0xDC00...0xDFFF).contains(u) {
                    Self.appendUTF8(0xFFFD, to: &out)
                } else {
                    Self.appendUTF8(u, to: &out)
                }
                i += 2
            }
            if atEnd {
                if pendingHigh != nil || i < bytes.count { Self.appendUTF8(0xFFFD, to: &out) }
            } else {
                // Keep the high surrogate's bytes and any odd byte for the next block.
                carry = Array(bytes[(pendingHigh != nil ? i - 2 : i)...])
            }
        case .utf8, .auto:
            out.append(contentsOf: input)
        }
    }

    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// `bytes` read as Windows-1252, as UTF-8: for a row of an input detected as UTF-8 that turns out
    /// not to be, further in than the block the decision was made on.
    static func windows1252ToUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var transcoder = Transcoder(.windows1252)
        var out: [UInt8] = []
        transcoder.transcode(bytes, atEnd: true, into: &out)
        return out
    }
}
