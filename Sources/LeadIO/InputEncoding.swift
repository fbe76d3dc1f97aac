/// The character encoding an input is read in (`input.encoding`).
///
/// Whatever it is, records reach the parser as UTF-8 and every output is UTF-8: a non-UTF-8 input is
/// transcoded block by block as it is read.
public enum InputEncoding: String, Sendable, CaseIterable {
    /// A byte order mark decides; otherwise valid UTF-8 is UTF-8, anything else Windows-1252.
    case auto
    case utf8 = "utf-8"
    /// Excel's "CSV" on Windows and older CRM reports: Latin-1 with `€`, `‚`, curly quotes … in 0x80–0x9F.
    case windows1252 = "windows-1252"
    case iso8859_1 = "iso-8859-1"
    /// Mac OS Roman: Excel for Mac's "CSV (Macintosh)", which also ends its lines in a CR alone.
    case macRoman = "mac-roman"
    /// UTF-16 with a byte order mark deciding the byte order (little-endian without one).
    case utf16 = "utf-16"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
}

/// What the reader decided to read an input as, and why.
public struct EncodingDecision: Sendable, Equatable {
    /// A concrete encoding: never ``InputEncoding/auto`` or a UTF-16 without its byte order.
    public var encoding: InputEncoding
    /// Bytes of byte order mark skipped at the start.
    public var byteOrderMarkLength: Int
    /// How it was decided, for the note: `a byte order mark`, `stated`, `its first block is not valid UTF-8`.
    public var reason: String
    /// Whether it was stated in the pipeline file rather than detected.
    public var isStated: Bool

    /// The encoding for an input starting with `head`, given what the pipeline file says.
    ///
    /// A byte order mark always wins over `auto` and over a stated UTF-16 byte order; without one, `auto`
    /// takes valid UTF-8 (a multi-byte sequence cut at the end of `head` does not count against it) as
    /// UTF-8 and anything else as Windows-1252, whose every byte is a character.
    public static func decide(_ stated: InputEncoding, head: UnsafeBufferPointer<UInt8>, headIsWholeInput: Bool) -> EncodingDecision {
        let bom: (InputEncoding, Int)? =
            head.starts(with: [0xEF, 0xBB, 0xBF]) ? (.utf8, 3)
            : head.starts(with: [0xFF, 0xFE]) ? (.utf16LE, 2)
            : head.starts(with: [0xFE, 0xFF]) ? (.utf16BE, 2) : nil
        switch stated {
        case .auto:
            if let bom {
                return EncodingDecision(encoding: bom.0, byteOrderMarkLength: bom.1, reason: "its byte order mark", isStated: false)
            }
            // UTF-16 without a byte order mark: ASCII text has a zero byte beside every character.
            if head.count >= 4, head[0] != 0, head[1] == 0, head[3] == 0 {
                return EncodingDecision(encoding: .utf16LE, byteOrderMarkLength: 0, reason: "every other byte of its first characters is zero", isStated: false)
            }
            if head.count >= 4, head[0] == 0, head[1] != 0, head[2] == 0 {
                return EncodingDecision(encoding: .utf16BE, byteOrderMarkLength: 0, reason: "every other byte of its first characters is zero", isStated: false)
            }
            let checked = headIsWholeInput ? head.count : UTF8Validation.completeSequencesEnd(head)
            if UTF8Validation.isASCII(head, 0, checked) || UTF8Validation.isValid(head, 0, checked) {
                return EncodingDecision(encoding: .utf8, byteOrderMarkLength: 0, reason: "it is valid UTF-8", isStated: false)
            }
            // A UTF-8 export with one row pasted in from elsewhere: reading it all as Windows-1252 would turn
            // every `ü` of the good rows into `Ã¼`. Read it as UTF-8; the rows that are not fall back row by row.
            let tally = UTF8Validation.sequenceTally(head, 0, checked)
            if tally.valid > tally.invalid {
                return EncodingDecision(encoding: .utf8, byteOrderMarkLength: 0,
                                        reason: "its first block is UTF-8 but for \(tally.invalid) bytes", isStated: false)
            }
            // No Windows program ends lines in a CR alone; Excel for Mac's "CSV (Macintosh)" does, in Mac Roman.
            if Self.endsLinesInCRAlone(head, checked) {
                return EncodingDecision(encoding: .macRoman, byteOrderMarkLength: 0,
                                        reason: "its first block is not valid UTF-8 and its lines end in a CR alone, as Excel for "
                                            + "Mac's \"CSV (Macintosh)\" writes them; set input.encoding: windows-1252 if it is not",
                                        isStated: false)
            }
            return EncodingDecision(encoding: .windows1252, byteOrderMarkLength: 0,
                                    reason: "its first block is not valid UTF-8", isStated: false)
        case .utf16, .utf16LE, .utf16BE:
            if let bom, bom.0 != .utf8 {
                return EncodingDecision(encoding: bom.0, byteOrderMarkLength: bom.1, reason: "its byte order mark", isStated: true)
            }
            return EncodingDecision(encoding: stated == .utf16BE ? .utf16BE : .utf16LE, byteOrderMarkLength: 0, reason: "stated", isStated: true)
        case .utf8:
            return EncodingDecision(encoding: .utf8, byteOrderMarkLength: bom?.0 == .utf8 ? 3 : 0, reason: "stated", isStated: true)
        case .windows1252, .iso8859_1, .macRoman:
            return EncodingDecision(encoding: stated, byteOrderMarkLength: 0, reason: "stated", isStated: true)
        }
    }

    /// Whether `head[..<end]` has line breaks and every one is a CR without an LF.
    private static func endsLinesInCRAlone(_ head: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        let block = UnsafeBufferPointer(rebasing: head[..<end])
        return block.contains(0x0D) && !block.contains(0x0A)
    }

    /// The summary note: `read as Windows-1252 (its first block is not valid UTF-8); written as UTF-8`.
    /// - Parameter isRunInput: `false` for a file a stage reads (a reference file), which has no output.
    public func note(for path: String, isRunInput: Bool = true) -> String? {
        if encoding == .utf8 && (isStated || byteOrderMarkLength == 0) { return nil }
        let name = path == "-" ? "standard input" : "'\(path)'"
        let how = isStated ? "as stated by input.encoding" : "detected: \(reason)"
        return "\(name) was read as \(encoding.displayName) (\(how))" + (isRunInput ? "; the output is UTF-8" : "")
    }
}

extension InputEncoding {
    /// The name people know it by.
    public var displayName: String {
        switch self {
        case .auto: "auto"
        case .utf8: "UTF-8"
        case .windows1252: "Windows-1252"
        case .iso8859_1: "ISO-8859-1"
        case .macRoman: "Mac Roman"
        case .utf16: "UTF-16"
        case .utf16LE: "UTF-16LE"
        case .utf16BE: "UTF-16BE"
        }
    }
}
