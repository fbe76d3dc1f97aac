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

    /// Appends `input` as UTF-8 to `out`; with `atEnd`, whatever is still carried is flushed (a lone half
    /// unit becomes U+FFFD).
    mutating func transcode(_ input: UnsafeBufferPointer<UInt8>, atEnd: Bool, into out: inout [UInt8]) {
        switch encoding {
        case .windows1252, .iso8859_1:
            out.reserveCapacity(out.count + input.count + input.count / 8)
            let table = encoding == .windows1252 ? Self.windows1252High : nil
            var i = 0
            let count = input.count
            while i < count {
                // Runs of ASCII, nearly all of a lead list, are copied as they are.
                let runStart = i
                while i < count && input[i] < 0x80 { i += 1 }
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<i])) }
                guard i < count else { break }
                let b = input[i]
                let scalar = b < 0xA0 ? (table.map { UInt32($0[Int(b) - 0x80]) } ?? UInt32(b)) : UInt32(b)
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
