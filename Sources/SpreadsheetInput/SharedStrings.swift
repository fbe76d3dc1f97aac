import Foundation

/// The workbook's shared string table (`xl/sharedStrings.xml`), which cells of type `s` index.
///
/// Every string's UTF-8 bytes sit in one block with one offset each, rather than a `String` apiece,
/// and a cell's value is copied from those bytes straight into the record. A table whose text outgrows
/// ``memoryLimit`` (a million-row export shares a few million strings, 60 MB and more) moves to an
/// unlinked temporary file read in 4 KiB blocks with `pread`, 1024 of them cached: strings are
/// numbered in the order they first appear, so a sheet's new values (emails, names) come from the
/// block after the last, and the values that repeat (countries, titles, sources) sit in the first
/// blocks. The process then holds the offsets (4 bytes a string) and 4 MiB of blocks, so a big workbook
/// runs in about the memory of the same list as CSV.
final class SharedStrings {
    /// Text up to this size stays in memory.
    static let memoryLimit = 4 << 20
    private static let blockShift = 12
    private static let blockSize = 1 << blockShift
    private static let blockSlots = 1024

    /// The text while in memory; once spilled, the bytes not yet written to the file.
    private var bytes: [UInt8] = []
    /// String `i` is bytes `offsets[i]..<offsets[i + 1]` of the text.
    private var offsets: [UInt32] = [0]
    /// The temporary file's descriptor once the text is spilled, else -1.
    private var file: Int32 = -1
    private var written = 0
    private let memoryLimit: Int
    /// Cached blocks of the file: slot `i` holds block `blockTags[i]` at `blocks[i * blockSize…]`.
    private var blocks: [UInt8] = []
    private var blockTags: [Int] = []

    init(memoryLimit: Int = SharedStrings.memoryLimit) {
        self.memoryLimit = memoryLimit
    }

    deinit { if file >= 0 { close(file) } }

    var count: Int { offsets.count - 1 }
    /// Whether the text lives in the temporary file.
    var isSpilled: Bool { file >= 0 }

    /// Appends string `index` to `output`; an index past the table appends nothing.
    /// - Throws: ``WorkbookError`` when the temporary file cannot be read.
    @inline(__always)
    func append(_ index: Int, to output: inout [UInt8]) throws {
        guard index >= 0, index < count else { return }
        let start = Int(offsets[index])
        let end = Int(offsets[index + 1])
        guard file >= 0 else {
            output.append(contentsOf: bytes[start..<end])
            return
        }
        var position = start
        while position < end {
            let block = position >> Self.blockShift
            let slot = block & (Self.blockSlots - 1)
            if blockTags[slot] != block { try load(block, into: slot) }
            let offset = position & (Self.blockSize - 1)
            let count = min(end - position, Self.blockSize - offset)
            let base = slot * Self.blockSize + offset
            output.append(contentsOf: blocks[base..<base + count])
            position += count
        }
    }

    private func load(_ block: Int, into slot: Int) throws {
        try blocks.withUnsafeMutableBytes { buffer in
            let destination = buffer.baseAddress! + slot * Self.blockSize
            var done = 0
            while done < Self.blockSize {
                let got = pread(file, destination + done, Self.blockSize - done, off_t(block * Self.blockSize + done))
                if got < 0 && errno == EINTR { continue }
                guard got >= 0 else {
                    throw WorkbookError.corruptPart("xl/sharedStrings.xml", "cannot be read back from its temporary copy")
                }
                if got == 0 { break } // the last block is short
                done += got
            }
        }
        blockTags[slot] = block
    }

    func string(_ index: Int) -> String? {
        var text: [UInt8] = []
        guard (try? append(index, to: &text)) != nil, index < count else { return nil }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads the table, streaming the part: only the table itself is held.
    ///
    /// A string item (`<si>`) is its `<t>` text, or its rich-text runs' `<t>` texts concatenated;
    /// phonetic hints (`<rPh>`, furigana) are not part of the value.
    static func read(_ parser: XMLPullParser, memoryLimit: Int = SharedStrings.memoryLimit) throws -> SharedStrings {
        let table = SharedStrings(memoryLimit: memoryLimit)
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
                    table.bytes.reserveCapacity(min(unique * 16, memoryLimit + (1 << 20)))
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
        try table.flush()
        return table
    }

    private func closeString() throws {
        let total = written + bytes.count
        guard total <= Int(UInt32.max) else { throw WorkbookError.sharedStringsTooLarge }
        offsets.append(UInt32(total))
        if file < 0 && bytes.count > memoryLimit {
            try spill()
        } else if file >= 0 && bytes.count >= 1 << 20 {
            try flush()
        }
    }

    /// Moves the text to a temporary file, unlinked at once so that nothing is left behind whatever happens.
    private func spill() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/leadhygiene-xlsx-strings-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw WorkbookError.corruptPart("xl/sharedStrings.xml", "is too large to hold and no temporary file can be made for it")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        file = descriptor
        blocks = Array(repeating: 0, count: Self.blockSlots * Self.blockSize)
        blockTags = Array(repeating: -1, count: Self.blockSlots)
        try flush()
        bytes = []
    }

    /// Writes the bytes not yet in the file.
    private func flush() throws {
        guard file >= 0, !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let got = write(file, buffer.baseAddress! + done, buffer.count - done)
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { throw WorkbookError.corruptPart("xl/sharedStrings.xml", "cannot be copied to a temporary file") }
                done += got
            }
        }
        written += bytes.count
        bytes.removeAll(keepingCapacity: true)
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
