import CLibXML2
import Foundation

/// An element read out of an ``HTMLDocument``: a value snapshot, safe to keep after the document is gone.
public struct HTMLElement: Sendable, Equatable {
    /// The lower-case tag name.
    public var name: String
    /// Attributes by lower-case name.
    public var attributes: [String: String]
    /// The concatenated text content.
    public var text: String

    /// An attribute's value, by lower-case name.
    public subscript(attribute: String) -> String? { attributes[attribute] }
}

/// A parsed HTML page, queried with XPath 1.0.
///
/// Parsed by libxml2's HTML parser in recovery mode, with no network access, no error output and
/// no entity substitution, so hostile or broken markup yields a best-effort tree and nothing more.
public final class HTMLDocument {
    private let document: htmlDocPtr

    /// Parses `body` in `encoding` (see ``CharsetSniffer``); `nil` only when libxml2 builds no tree at all.
    public init?(body: [UInt8], encoding: String = "UTF-8", url: String? = nil) {
        // NONET: never fetch a DTD or entity; no NOENT flag: entities are not substituted.
        let options = Int32(HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue |
                            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue)
        let input = body.isEmpty ? Array("<html></html>".utf8) : body
        let parse: (String?) -> htmlDocPtr? = { encoding in
            input.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) {
                    htmlReadMemory($0.baseAddress, Int32($0.count), url, encoding, options)
                }
            }
        }
        // An encoding libxml2 does not know makes it fail: fall back to its own detection.
        guard let document = parse(encoding) ?? parse(nil) else { return nil }
        self.document = document
    }

    /// Parses an HTTP body, taking the charset from `contentType` or the page's meta tags.
    public convenience init?(body: [UInt8], contentType: String?, url: String? = nil) {
        self.init(body: body, encoding: CharsetSniffer.encoding(contentType: contentType, body: body), url: url)
    }

    deinit { xmlFreeDoc(document) }

    /// Elements matching `xpath`; non-element nodes are skipped.
    public func elements(_ xpath: String) -> [HTMLElement] {
        evaluate(xpath) { node in
            guard node.pointee.type == XML_ELEMENT_NODE else { return nil }
            return HTMLElement(name: Self.string(node.pointee.name).lowercased(), attributes: attributes(of: node),
                               text: content(of: node))
        }
    }

    /// The string value of every node matching `xpath` (attributes such as `//a/@href`, or text nodes).
    public func strings(_ xpath: String) -> [String] {
        evaluate(xpath) { content(of: $0) }
    }

    /// The first string `xpath` selects, trimmed, or `nil` when empty.
    public func firstString(_ xpath: String) -> String? {
        strings(xpath).lazy.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
    }

    /// The text a reader would see: body text outside scripts, styles and templates, whitespace collapsed.
    public func visibleText() -> String {
        let pieces = strings("//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript) and not(ancestor::template)]")
        return pieces.joined(separator: " ").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    private func evaluate<T>(_ xpath: String, _ read: (xmlNodePtr) -> T?) -> [T] {
        guard let context = xmlXPathNewContext(document) else { return [] }
        defer { xmlXPathFreeContext(context) }
        guard let object = xmlXPathEvalExpression(xpath, context) else { return [] }
        defer { xmlXPathFreeObject(object) }
        guard let set = object.pointee.nodesetval, set.pointee.nodeNr > 0, let table = set.pointee.nodeTab else { return [] }
        var out: [T] = []
        out.reserveCapacity(Int(set.pointee.nodeNr))
        for i in 0..<Int(set.pointee.nodeNr) {
            if let node = table[i], let value = read(node) { out.append(value) }
        }
        return out
    }

    private func content(of node: xmlNodePtr) -> String {
        guard let raw = xmlNodeGetContent(node) else { return "" }
        defer { cxml_free(raw) }
        return String(cString: raw)
    }

    private func attributes(of node: xmlNodePtr) -> [String: String] {
        var out: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            let name = Self.string(current.pointee.name).lowercased()
            if out[name] == nil {
                if let raw = xmlNodeListGetString(document, current.pointee.children, 1) {
                    out[name] = String(cString: raw)
                    cxml_free(raw)
                } else {
                    out[name] = ""
                }
            }
            attribute = current.pointee.next
        }
        return out
    }

    private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}
