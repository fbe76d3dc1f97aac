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

/// An element with where it sits on the page: see ``HTMLDocument/elementsInContext(_:)``.
public struct HTMLElementInContext: Sendable {
    public var element: HTMLElement
    /// The collapsed text of the element's line: its nearest enclosing block element's own text and inline
    /// elements, without the blocks nested in it.
    public var enclosingText: String
    /// Tag names, classes, ids, itemtypes and roles of every ancestor, lower-cased, space-separated.
    public var ancestorMarkers: String
}

/// A microdata item: its `itemtype` URLs and its properties in document order.
public struct MicrodataItem: Sendable {
    public var types: [String]
    public var properties: [(name: String, value: MicrodataValue)]
}

/// A microdata property's value: text (or a URL), or a nested item.
public indirect enum MicrodataValue: Sendable {
    case text(String)
    case item(MicrodataItem)
}

/// A parsed HTML page, queried with XPath 1.0.
///
/// Parsed by libxml2's HTML parser in recovery mode, with no network access, no error output and
/// no entity substitution, so hostile or broken markup yields a best-effort tree and nothing more.
public final class HTMLDocument {
    private let document: htmlDocPtr
    /// One XPath context for all of this document's queries: creating one registers every XPath function
    /// in a fresh hash table, which cost more than the queries on a small page. Made on first use.
    private var xpathContext: xmlXPathContextPtr?

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

    deinit {
        if let xpathContext { xmlXPathFreeContext(xpathContext) }
        xmlFreeDoc(document)
    }

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

    /// The visible text laid out in lines as a reader sees it: a line ends at every block element
    /// (`p`, `div`, `li`, `td`, `address`, …) and at `<br>`; inline elements (`b`, `span`, `a`) do not
    /// break a line. White space is collapsed within a line; empty lines are dropped.
    ///
    /// Numbers split over two lines (a phone, then a street number on the next line) stay apart here,
    /// where ``visibleText()`` would run them together.
    public func visibleLines() -> [String] {
        guard let start = evaluate("//body", { $0 }).first ?? xmlDocGetRootElement(document) else { return [] }
        return lines(under: start)
    }

    /// ``visibleLines()`` of each element matching `xpath` (every `<address>`, say), one list per element.
    public func visibleLines(of xpath: String) -> [[String]] {
        evaluate(xpath) { node in node.pointee.type == XML_ELEMENT_NODE ? lines(under: node) : nil }
    }

    private func lines(under start: xmlNodePtr) -> [String] {
        var lines: [String] = []
        var current = ""
        func endLine() {
            let collapsed = current.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if !collapsed.isEmpty { lines.append(collapsed) }
            current = ""
        }
        // Iterative walk: hostile markup may nest deeper than the stack should.
        enum Step { case enter(xmlNodePtr), leave(Bool) }
        var stack: [Step] = [.enter(start)]
        while let step = stack.popLast() {
            switch step {
            case .leave(let isBlock):
                if isBlock { endLine() }
            case .enter(let node):
                switch node.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let text = node.pointee.content { current += String(cString: text) }
                case XML_ELEMENT_NODE:
                    let name = Self.string(node.pointee.name).lowercased()
                    if Self.hiddenElements.contains(name) { continue }
                    let isBlock = Self.blockElements.contains(name)
                    if isBlock { endLine() }
                    stack.append(.leave(isBlock))
                    var children: [xmlNodePtr] = []
                    var child = node.pointee.children
                    while let c = child {
                        children.append(c)
                        child = c.pointee.next
                    }
                    for c in children.reversed() { stack.append(.enter(c)) }
                default:
                    break
                }
            }
        }
        endLine()
        return lines
    }

    /// Elements matching `xpath`, each with the text of its nearest enclosing block element and the
    /// markers (tag, class, id, itemtype) of all its ancestors, to tell where on a page a link sits.
    public func elementsInContext(_ xpath: String) -> [HTMLElementInContext] {
        evaluate(xpath) { node in
            guard node.pointee.type == XML_ELEMENT_NODE else { return nil }
            let element = HTMLElement(name: Self.string(node.pointee.name).lowercased(), attributes: attributes(of: node),
                                      text: content(of: node))
            var enclosingText = ""
            var markers: [String] = []
            var ancestor = node.pointee.parent
            while let current = ancestor, current.pointee.type == XML_ELEMENT_NODE {
                let name = Self.string(current.pointee.name).lowercased()
                if enclosingText.isEmpty, Self.blockElements.contains(name) {
                    enclosingText = Self.lineText(of: current).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
                }
                let attributes = attributes(of: current)
                markers.append(([name] + ["class", "id", "itemtype", "role"].compactMap { attributes[$0] }).joined(separator: " "))
                ancestor = current.pointee.parent
            }
            return HTMLElementInContext(element: element, enclosingText: enclosingText,
                                        ancestorMarkers: markers.joined(separator: " ").lowercased())
        }
    }

    /// The text of a block's own line: its text and inline elements, not the text of the blocks inside it
    /// (a footer's links, not the credits paragraph below them).
    private static func lineText(of block: xmlNodePtr) -> String {
        var out = ""
        var stack: [xmlNodePtr] = []
        var child = block.pointee.children
        while let c = child {
            stack.append(c)
            child = c.pointee.next
        }
        stack.reverse()
        while let node = stack.popLast() {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let text = node.pointee.content { out += String(cString: text) }
            case XML_ELEMENT_NODE:
                let name = string(node.pointee.name).lowercased()
                if blockElements.contains(name) || hiddenElements.contains(name) {
                    out += " "
                    continue
                }
                var children: [xmlNodePtr] = []
                var c = node.pointee.children
                while let n = c {
                    children.append(n)
                    c = n.pointee.next
                }
                stack.append(contentsOf: children.reversed())
            default:
                break
            }
        }
        return out
    }

    /// The page's top-level microdata items (HTML §5.2: elements with `itemscope` and no `itemprop`),
    /// each with its properties; a property whose element has `itemscope` is a nested item.
    public func microdataItems() -> [MicrodataItem] {
        evaluate("//*[@itemscope and not(@itemprop)]") { node in microdataItem(node) }
    }

    private func microdataItem(_ node: xmlNodePtr) -> MicrodataItem {
        let types = (attributes(of: node)["itemtype"] ?? "").split(whereSeparator: { $0.isWhitespace }).map(String.init)
        var properties: [(String, MicrodataValue)] = []
        var stack: [xmlNodePtr] = []
        var child = node.pointee.children
        while let c = child {
            stack.append(c)
            child = c.pointee.next
        }
        stack.reverse()
        while let current = stack.popLast() {
            guard current.pointee.type == XML_ELEMENT_NODE else { continue }
            let attributes = attributes(of: current)
            let scoped = attributes["itemscope"] != nil
            if let names = attributes["itemprop"] {
                let value: MicrodataValue = scoped ? .item(microdataItem(current)) : .text(microdataText(current, attributes))
                for name in names.split(whereSeparator: { $0.isWhitespace }) { properties.append((String(name), value)) }
            }
            // An element with its own itemscope owns the properties inside it.
            guard !scoped else { continue }
            var children: [xmlNodePtr] = []
            var c = current.pointee.children
            while let n = c {
                children.append(n)
                c = n.pointee.next
            }
            stack.append(contentsOf: children.reversed())
        }
        return MicrodataItem(types: types, properties: properties)
    }

    /// A property's value (HTML §5.2.4): an attribute for the elements that carry one, else the text.
    private func microdataText(_ node: xmlNodePtr, _ attributes: [String: String]) -> String {
        let name = Self.string(node.pointee.name).lowercased()
        let attribute: String? = switch name {
        case "meta": "content"
        case "a", "area", "link": "href"
        case "img", "audio", "embed", "iframe", "source", "track", "video": "src"
        case "object": "data"
        case "data", "meter": "value"
        case "time": attributes["datetime"] != nil ? "datetime" : nil
        default: nil
        }
        if let attribute { return attributes[attribute] ?? "" }
        return content(of: node).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Elements whose start and end break a line of text (HTML's block-level and table elements, and `br`).
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
        "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul", "body", "html",
    ]
    /// Elements whose text no reader sees.
    static let hiddenElements: Set<String> = ["script", "style", "noscript", "template", "head", "title"]

    private func evaluate<T>(_ xpath: String, _ read: (xmlNodePtr) -> T?) -> [T] {
        if xpathContext == nil { xpathContext = xmlXPathNewContext(document) }
        guard let context = xpathContext else { return [] }
        // Every query starts as in a new context: at the document, with no position or size carried over.
        context.pointee.node = nil
        context.pointee.contextSize = -1
        context.pointee.proximityPosition = -1
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
