import CLibXML2
import Foundation

/// Where an ``XMLPullParser`` gets its bytes: a part read whole, or one inflated as it is parsed.
final class XMLByteSource {
    private let stream: ZipEntryStream?
    private let data: Data
    private var offset = 0
    /// Why the last read failed; libxml2 only learns that it did.
    fileprivate(set) var failure: Error?

    init(stream: ZipEntryStream) {
        self.stream = stream
        data = Data()
    }

    init(data: Data) {
        stream = nil
        self.data = data
    }

    fileprivate func read(into buffer: UnsafeMutableRawBufferPointer) -> Int32 {
        do {
            if let stream { return Int32(try stream.read(into: buffer)) }
            let count = min(buffer.count, data.count - offset)
            data.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
            offset += count
            return Int32(count)
        } catch {
            failure = error
            return -1
        }
    }
}

/// libxml2's streaming `xmlTextReader` over an ``XMLByteSource``: one node at a time, never a tree
/// of the document, so memory stays flat however long the part is.
///
/// Names are compared as pointers: the reader interns every element and attribute name in its
/// dictionary, and ``intern(_:)`` looks a name up in the same one.
final class XMLPullParser {
    typealias Name = UnsafePointer<xmlChar>

    /// The node kinds this project reads (`xmlReaderTypes`).
    enum NodeKind {
        case element, endElement, text, other
    }

    private let reader: xmlTextReaderPtr
    private let source: XMLByteSource
    private let part: String
    /// The first error libxml2 reported, with its line.
    private let errors = ErrorSink()

    /// - Parameter part: the part's path, for error messages.
    init(source: XMLByteSource, part: String) throws {
        self.source = source
        self.part = part
        // No network, no entity expansion, no DTD: a workbook's XML needs none of them, and a hostile one
        // must not reach out or blow up.
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        let context = Unmanaged.passUnretained(source).toOpaque()
        guard let reader = xmlReaderForIO(xmlSourceRead, nil, context, part, nil, options) else {
            throw WorkbookError.corruptPart(part, "cannot be parsed")
        }
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(reader, xmlRecordError, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit { xmlFreeTextReader(reader) }

    /// Moves to the next node; `false` at the end of the document.
    /// - Throws: ``WorkbookError/corruptPart(_:_:)`` when the XML is not well-formed or the bytes cannot be read.
    @inline(__always)
    func read() throws -> Bool {
        let result = xmlTextReaderRead(reader)
        if result == 1 { return true }
        if result == 0 { return false }
        if let failure = source.failure {
            if let failure = failure as? WorkbookError { throw failure }
            throw WorkbookError.corruptPart(part, "cannot be read (\(failure))")
        }
        throw WorkbookError.corruptPart(part, "is not well-formed XML" + (errors.message.map { " (\($0))" } ?? ""))
    }

    var kind: NodeKind {
        switch xmlTextReaderNodeType(reader) {
        case 1: .element
        case 15: .endElement
        // Text, CDATA, and whitespace (which is text inside <t xml:space="preserve">).
        case 3, 4, 13, 14: .text
        default: .other
        }
    }

    /// The current element's or attribute's name without its prefix (interned).
    var localName: Name? { xmlTextReaderConstLocalName(reader) }

    /// The current node's namespace URI.
    var namespaceURI: String? { xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) } }

    /// Whether the current element is written `<x/>`: no end element follows.
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The name as the reader spells it, for comparing with ``localName``.
    func intern(_ name: String) -> Name { xmlTextReaderConstString(reader, name) }

    /// The current text node's or attribute's value, valid until the next move.
    var value: UnsafeBufferPointer<UInt8> {
        guard let pointer = xmlTextReaderConstValue(reader) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: pointer, count: strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)))
    }

    var stringValue: String { String(decoding: value, as: UTF8.self) }

    /// Calls `visit` with each attribute of the current element (name interned, value valid during the call),
    /// then goes back to the element.
    @inline(__always)
    func forEachAttribute(_ visit: (_ name: Name?, _ value: UnsafeBufferPointer<UInt8>) -> Void) {
        guard xmlTextReaderHasAttributes(reader) == 1 else { return }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            visit(localName, value)
        }
        xmlTextReaderMoveToElement(reader)
    }

    /// The attributes of the current element by local name (for the few small elements read this way).
    func attributes() -> [String: String] {
        var result: [String: String] = [:]
        forEachAttribute { name, value in
            if let name { result[String(cString: name)] = String(decoding: value, as: UTF8.self) }
        }
        return result
    }

    /// The line the reader is on, for messages.
    var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }
}

/// libxml2's errors, kept instead of printed.
private final class ErrorSink {
    var message: String?
}

private let xmlSourceRead: xmlInputReadCallback = { context, buffer, length in
    guard let context, let buffer, length > 0 else { return 0 }
    let source = Unmanaged<XMLByteSource>.fromOpaque(context).takeUnretainedValue()
    return source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length)))
}

private let xmlRecordError: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let sink = Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue()
    guard sink.message == nil else { return }
    let text = error.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "error"
    sink.message = "line \(error.pointee.line): \(text)"
}
