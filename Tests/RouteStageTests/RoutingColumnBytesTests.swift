import LeadFacts
import LeadRecords
@testable import RouteStage
import RowExpressions
import Testing

@Suite("route: routing columns written from bytes")
struct RoutingColumnBytesTests {
    /// Pieces a column owner cell is made of: spaces, tabs, CR and LF (alone and as one CR LF character),
    /// ASCII, accented letters and a combining accent that joins the space before it into one character.
    static let pieces = [" ", "\t", "\r", "\n", "\r\n", "a", "Rep@x.com", "é", "e\u{301}", "\u{301}", "Zoë"]

    @Test(arguments: [5, 17, 99])
    func anOwnerCellIsTrimmedAsItsStringIs(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let values = ColumnValues()
        for _ in 0..<3_000 {
            let cell = (0..<Int(random.next() % 6)).map { _ in Self.pieces[Int(random.next() % UInt64(Self.pieces.count))] }.joined()
            values.start()
            var bytes = cell
            bytes.withUTF8 { RouteStage.Bound.appendTrimmed($0, to: values) }
            let trimmed = String(decoding: values.written(from: 0), as: UTF8.self)
            #expect(trimmed == cell.trimmingSpaces && Array(trimmed.utf8) == Array(cell.trimmingSpaces.utf8), "cell \(Array(cell.utf8))")
        }
    }
}
