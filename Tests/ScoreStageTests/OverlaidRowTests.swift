import LeadRecords
import RowExpressions
import Testing

@Suite("Conditions on a row with columns not written yet")
struct OverlaidRowTests {
    static let header = ["Title", "Country", "account_id", "account_match", "account_owner", "Note"]

    func bound(_ condition: String) throws -> BoundExpression {
        let schema = Schema(inputColumns: Self.header)
        return try BoundExpression(try ExpressionParser.parse(condition), resolver: ColumnResolver(schema: schema, columns: ColumnBindings()))
    }

    @Test(arguments: [
        "not account_owner is_missing",
        "account_match == domain and Country in [DE, AT]",
        "account_id != 001A or Title matches_any [vp, head of]",
        "account_owner matches_any [olga] and Note is_missing",
    ])
    func aConditionReadsTheOverlaidColumnsAsItWouldReadThemWritten(_ condition: String) throws {
        let expression = try bound(condition)
        let rows = [["Head of Sales", "DE", "", "", "", ""], ["Intern", " at ", "", "", "", "x"], ["", "", "", "", "", ""]]
        let overlays = [["001A", "domain", " Olga Owner"], ["", "none", ""], ["001B", "name", "\t"]]
        for row in rows {
            for cells in overlays {
                var written = row
                written.replaceSubrange(2..<5, with: cells)
                let text = Array(cells.joined().utf8)
                var ends: [UInt32] = []
                for cell in cells { ends.append((ends.last ?? 0) + UInt32(cell.utf8.count)) }
                var scratch = RowScratch(width: Self.header.count)
                let overlaid = text.withUnsafeBufferPointer { text in
                    ends.withUnsafeBufferPointer { ends in
                        expression.unretained.evaluate(row: OverlaidRow(PackedFields(row), run: 2..<5, text: text, ends: ends), scratch: &scratch)
                    }
                }
                #expect(overlaid == expression.evaluate(written), "\(row) \(cells)")
            }
        }
    }
}
