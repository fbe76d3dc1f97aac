import Foundation
import ZIPFoundation

/// An `.xlsx` workbook written from its XML parts, the way Excel lays them out (shared strings,
/// styles, `xl/_rels`), for cases a library writer does not produce: inline and formula strings,
/// phonetic runs, cells without references, the 1904 date system, a damaged archive.
///
/// ```swift
/// try WorkbookFixture(sheets: [("Leads", WorkbookFixture.rows(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#))],
///                     sharedStrings: ["<t>email</t>"]).write(to: dir.path("leads.xlsx"))
/// ```
public struct WorkbookFixture: Sendable {
    public var sheets: [(name: String, xml: String)]
    /// Each `<si>` item's inner XML; `nil` writes no shared strings part.
    public var sharedStrings: [String]?
    /// Number formats: `numFmtId` per cell format (`s="i"` is `cellFormats[i]`), and the custom codes.
    public var cellFormats: [Int]
    public var customFormats: [Int: String]
    public var uses1904DateSystem: Bool
    /// Sheet names whose `state` is `hidden`.
    public var hiddenSheets: Set<String>

    public init(sheets: [(name: String, xml: String)], sharedStrings: [String]? = nil, cellFormats: [Int] = [0],
                customFormats: [Int: String] = [:], uses1904DateSystem: Bool = false, hiddenSheets: Set<String> = []) {
        self.sheets = sheets
        self.sharedStrings = sharedStrings
        self.cellFormats = cellFormats
        self.customFormats = customFormats
        self.uses1904DateSystem = uses1904DateSystem
        self.hiddenSheets = hiddenSheets
    }

    /// A worksheet part holding these `<row>` elements.
    public static func rows(_ rows: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
            + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + "<dimension ref=\"A1\"/><sheetData>\(rows)</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" "
            + "bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>"
    }

    /// The parts by path, in the order they are written.
    public var parts: [(String, String)] {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var parts: [(String, String)] = []
        parts.append(("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/></Types>
            """))
        parts.append(("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationshipType)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """))
        let sheetElements = sheets.enumerated().map { index, sheet in
            "<sheet name=\"\(sheet.name)\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\""
                + (hiddenSheets.contains(sheet.name) ? " state=\"hidden\"" : "") + "/>"
        }.joined()
        parts.append(("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="\(main)" xmlns:r="\(relationshipType)">\
            <workbookPr\(uses1904DateSystem ? " date1904=\"1\"" : "") defaultThemeVersion="166925"/>\
            <sheets>\(sheetElements)</sheets></workbook>
            """))
        var relationships = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(relationshipType)/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }
        relationships.append("<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(relationshipType)/styles\" Target=\"styles.xml\"/>")
        if sharedStrings != nil {
            relationships.append("<Relationship Id=\"rId\(sheets.count + 2)\" Type=\"\(relationshipType)/sharedStrings\" "
                                 + "Target=\"sharedStrings.xml\"/>")
        }
        parts.append(("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relationships.joined())</Relationships>
            """))
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", sheet.xml))
        }
        let formats = customFormats.sorted { $0.key < $1.key }.map { "<numFmt numFmtId=\"\($0.key)\" formatCode=\"\($0.value)\"/>" }
        parts.append(("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="\(main)"><numFmts count="\(formats.count)">\(formats.joined())</numFmts>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="\(cellFormats.count)">\
            \(cellFormats.map { "<xf numFmtId=\"\($0)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>" }.joined())\
            </cellXfs></styleSheet>
            """))
        if let sharedStrings {
            parts.append(("xl/sharedStrings.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <sst xmlns="\(main)" count="\(sharedStrings.count)" uniqueCount="\(sharedStrings.count)">\
                \(sharedStrings.map { "<si>\($0)</si>" }.joined())</sst>
                """))
        }
        return parts
    }

    /// Writes the workbook as a deflated ZIP archive.
    public func write(to path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// The folder of the workbooks `Tests/Fixtures/Workbooks/make_workbooks.py` wrote with openpyxl.
    public static let generatedFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/Workbooks")

    /// The path of one of those workbooks.
    public static func generated(_ name: String) -> String { generatedFolder.appendingPathComponent(name).path }
}
