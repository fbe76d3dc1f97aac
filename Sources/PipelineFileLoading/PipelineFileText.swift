import Foundation
import PipelineSpec

/// Reads a pipeline file's text, refusing what no pipeline file is: more than ``maxBytes`` (a pipeline
/// is a few KB; a 74 MB file once took 44 s and 2.8 GB to reject) or bytes that are not UTF-8, which
/// are reported at their `line:col` rather than at `1:1`.
public enum PipelineFileText {
    /// The largest pipeline file read.
    public static let maxBytes = 1 << 20

    /// - Throws: ``PipelineFileError`` naming the file (and the position of the first invalid byte).
    public static func read(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = String(cString: strerror(errno))
            throw PipelineFileError([Diagnostic(file: path, location: .start, message: "cannot read pipeline file: \(reason)")])
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // One byte past the cap tells a file at the cap from a larger one without reading it whole.
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw PipelineFileError([Diagnostic(file: path, location: .start,
                                                message: "cannot read pipeline file: \(error.localizedDescription)")])
        }
        guard data.count <= maxBytes else {
            throw PipelineFileError([Diagnostic(file: path, location: .start,
                                                message: "pipeline file is larger than \(maxBytes / 1024) KiB; a pipeline file is a few KB of YAML — is this the right file?")])
        }
        return try text(of: [UInt8](data), file: path)
    }

    /// Decodes UTF-8 bytes (a leading BOM is dropped), or throws with the `line:col` of the first invalid byte.
    public static func text(of bytes: [UInt8], file: String) throws -> String {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) { return text }
        // Find the first byte that does not start a valid sequence, counting lines and characters up to it.
        var line = 1, column = 1
        var i = body.startIndex
        while i < body.endIndex {
            let length = validSequenceLength(body, at: i)
            guard length > 0 else { break }
            if body[i] == 0x0A { line += 1; column = 1 } else { column += 1 }
            i += length
        }
        let byte = i < body.endIndex ? String(format: "0x%02X", body[i]) : "end of file"
        throw PipelineFileError([Diagnostic(file: file, location: SourceLocation(line: line, column: column),
                                            message: "pipeline file is not UTF-8 (byte \(byte)); save it as UTF-8")])
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0.
    private static func validSequenceLength(_ bytes: ArraySlice<UInt8>, at i: Int) -> Int {
        let lead = bytes[i]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard i + length <= bytes.endIndex else { return 0 }
        return String(validating: bytes[i..<(i + length)], as: UTF8.self) == nil ? 0 : length
    }
}
