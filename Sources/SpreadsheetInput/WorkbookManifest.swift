import Foundation
import ZIPFoundation

/// What `xl/workbook.xml` and its relationships say: the sheets in tab order and where each part is.
struct WorkbookManifest {
    struct Sheet {
        var name: String
        /// The sheet's part, e.g. `xl/worksheets/sheet1.xml`.
        var part: String
        var isHidden: Bool
    }

    /// Worksheets in tab order (chart sheets and dialog sheets left out: they hold no cells).
    var sheets: [Sheet]
    /// `workbookPr date1904="1"`: serial 0 is 1904-01-01 instead of 1899-12-31.
    var uses1904DateSystem: Bool
    var sharedStringsPart: String?
    var stylesPart: String?

    static func read(from archive: Archive) throws -> WorkbookManifest {
        // The package's root relationships name the workbook part; nearly always xl/workbook.xml.
        let rootRelationships = try WorkbookArchive.read("_rels/.rels", from: archive).map {
            try relationships($0, part: "_rels/.rels", base: "")
        } ?? []
        let workbookPart = rootRelationships.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
        guard let workbook = try WorkbookArchive.read(workbookPart, from: archive) else {
            throw WorkbookError.missingPart(workbookPart)
        }
        let folder = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let relationshipsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/"
            + (workbookPart.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        guard let relationshipData = try WorkbookArchive.read(relationshipsPart, from: archive) else {
            throw WorkbookError.missingPart(relationshipsPart)
        }
        let related = try relationships(relationshipData, part: relationshipsPart, base: folder)
        var targets: [String: (type: String, target: String)] = [:]
        for relationship in related { targets[relationship.id] = (relationship.type, relationship.target) }

        var manifest = WorkbookManifest(
            sheets: [], uses1904DateSystem: false,
            sharedStringsPart: related.first { $0.type.hasSuffix("/sharedStrings") }?.target,
            stylesPart: related.first { $0.type.hasSuffix("/styles") }?.target)
        let parser = try XMLPullParser(source: XMLByteSource(data: workbook), part: workbookPart)
        let sheetName = parser.intern("sheet")
        let propertiesName = parser.intern("workbookPr")
        while try parser.read() {
            guard parser.kind == .element else { continue }
            if parser.localName == propertiesName {
                let value = parser.attributes()["date1904"]
                manifest.uses1904DateSystem = value == "1" || value == "true"
            } else if parser.localName == sheetName {
                var name = ""
                var id = ""
                var state = ""
                parser.forEachAttribute { attribute, value in
                    guard let attribute else { return }
                    switch String(cString: attribute) {
                    case "name": name = String(decoding: value, as: UTF8.self)
                    // `r:id`; the prefix varies, the local name does not.
                    case "id": id = String(decoding: value, as: UTF8.self)
                    case "state": state = String(decoding: value, as: UTF8.self)
                    default: break
                    }
                }
                guard let target = targets[id], target.type.hasSuffix("/worksheet") else { continue }
                manifest.sheets.append(Sheet(name: name, part: target.target, isHidden: state == "hidden" || state == "veryHidden"))
            }
        }
        return manifest
    }

    /// The sheet `input.sheet` names (exactly, else ignoring case), or the first visible worksheet.
    func sheet(named name: String?) throws -> Sheet {
        guard !sheets.isEmpty else { throw WorkbookError.noWorksheet }
        guard let name else { return sheets.first { !$0.isHidden } ?? sheets[0] }
        if let exact = sheets.first(where: { $0.name == name }) { return exact }
        if let folded = sheets.first(where: { $0.name.lowercased() == name.lowercased() }) { return folded }
        throw WorkbookError.noSuchSheet(name, available: sheets.map(\.name))
    }

    private struct Relationship {
        var id: String
        var type: String
        /// The target part's path inside the archive.
        var target: String
    }

    private static func relationships(_ data: Data, part: String, base: String) throws -> [Relationship] {
        let parser = try XMLPullParser(source: XMLByteSource(data: data), part: part)
        let relationshipName = parser.intern("Relationship")
        var found: [Relationship] = []
        while try parser.read() {
            guard parser.kind == .element, parser.localName == relationshipName else { continue }
            let attributes = parser.attributes()
            guard let id = attributes["Id"], let type = attributes["Type"], let target = attributes["Target"],
                  attributes["TargetMode"] != "External" else { continue }
            found.append(Relationship(id: id, type: type, target: resolve(target, against: base)))
        }
        return found
    }

    /// A relationship target as an archive path: absolute targets start at the root, relative ones at
    /// the folder of the part that names them (`worksheets/sheet1.xml` from `xl/` is `xl/worksheets/sheet1.xml`).
    static func resolve(_ target: String, against base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(component)
            }
        }
        return parts.joined(separator: "/")
    }
}
