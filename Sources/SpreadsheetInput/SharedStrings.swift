import Foundation

/// The workbook's shared string table (`xl/sharedStrings.xml`), which cells of type `s` index.
///
/// Every string's UTF-8 bytes sit in one buffer with one offset each, rather than a `String` apiece:
/// a million-row export can share several million strings, and a cell's value is copied from these
/// bytes straight into the record without ever becoming a `String`.
struct SharedStrings {
    private(set) var bytes: [UInt8] = []
    /// String `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    private var offsets: [UInt32] = [0]

    var count: Int { offsets.count - 1 }

    /// The bytes of string `index`, or `nil` when the table has no such string.
    @inline(__always)
    func range(of index: Int) -> Range<Int>? {
        guard index >= 0, index < count else { return nil }
        return Int(offsets[index])..<Int(offsets[index + 1])
    }

    func string(_ index: Int) -> String? {
        range(of: index).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// Reads the table, streaming the part: only the table itself is held.
    ///
    /// A string item (`<si>`) is its `<t>` text, or its rich-text runs' `<t>` texts concatenated;
    /// phonetic hints (`<rPh>`, furigana) are not part of the value.
    static func read(_ parser: XMLPullParser) throws -> SharedStrings {
        var table = SharedStrings()
        let itemName = parser.intern("si")
        let textName = parser.intern("t")
        let phoneticName = parser.intern("rPh")
        let tableName = parser.intern("sst")
        var inText = false
        var phoneticDepth = 0
        while try parser.read() {
            switch parser.kind {
            case .element:
                let name = parser.localName
                if name == textName && phoneticDepth == 0 {
                    inText = !parser.isEmptyElement
                } else if name == phoneticName && !parser.isEmptyElement {
                    phoneticDepth += 1
                } else if name == itemName && parser.isEmptyElement {
                    try table.closeString()
                } else if name == tableName, table.count == 0 {
                    let unique = parser.attributes()["uniqueCount"].flatMap { Int($0) } ?? 0
                    table.offsets.reserveCapacity(min(unique, 1 << 26) + 1)
                }
            case .text:
                if inText { OOXMLText.appendUnescaped(parser.value, to: &table.bytes) }
            case .endElement:
                let name = parser.localName
                if name == textName {
                    inText = false
                } else if name == phoneticName {
                    phoneticDepth -= 1
                } else if name == itemName {
                    try table.closeString()
                }
            case .other:
                break
            }
        }
        return table
    }

    private mutating func closeString() throws {
        guard bytes.count <= Int(UInt32.max) else { throw WorkbookError.sharedStringsTooLarge }
        offsets.append(UInt32(bytes.count))
    }
}

/// Text as OOXML writes it in strings: a character XML cannot hold (a control character, a lone CR)
/// is written `_xHHHH_`, and a literal `_x` that would read as one is written `_x005F_x…`.
enum OOXMLText {
    /// Appends `text` to `output`, decoding `_xHHHH_` escapes.
    @inline(__always)
    static func appendUnescaped(_ text: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard let base = text.baseAddress, memchr(base, Int32(UInt8(ascii: "_")), text.count) != nil else {
            output.append(contentsOf: text)
            return
        }
        var i = 0
        while i < text.count {
            if text[i] == UInt8(ascii: "_"), i + 6 < text.count, text[i + 1] == UInt8(ascii: "x"), text[i + 6] == UInt8(ascii: "_"),
               let unit = hexValue(text, i + 2) {
                if let scalar = Unicode.Scalar(unit), unit != 0 {
                    output.append(contentsOf: String(Character(scalar)).utf8)
                }
                i += 7
                continue
            }
            output.append(text[i])
            i += 1
        }
    }

    private static func hexValue(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> UInt32? {
        var value: UInt32 = 0
        for i in start..<start + 4 {
            let c = text[i]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
