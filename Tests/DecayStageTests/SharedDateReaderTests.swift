import Foundation
import LeadRecords
import Testing

/// The date reader decay, dedupe and the input notes share.
@Suite("Shared date reader")
struct SharedDateReaderTests {
    @Test(arguments: [
        ("2026-02-12", "2026-02-12T00:00:00Z"), ("2026-02-12T09:15:00Z", "2026-02-12T09:15:00Z"),
        ("2026-02-12 09:15:30.250+01:00", "2026-02-12T08:15:30Z"), ("2026/02/12", "2026-02-12T00:00:00Z"),
        ("12.02.2026", "2026-02-12T00:00:00Z"), ("12.02.2026 09:15", "2026-02-12T09:15:00Z"), ("1.2.26", "2026-02-01T00:00:00Z"),
        ("02/12/2026 9:15 PM", "2026-02-12T21:15:00Z"), ("12/02/2026 12:05 AM", "2026-12-02T00:05:00Z"),
        ("46065", "2026-02-12T00:00:00Z"), ("46065.5", "2026-02-12T12:00:00Z"), (" 2026-02-12 ", "2026-02-12T00:00:00Z"),
    ])
    func readsTheShapesExportsWriteMonthFirst(text: String, iso: String) {
        #expect(LeadDate.parse(text, format: DateFormat(order: .mdy))?.iso == iso)
    }

    @Test(arguments: ["", "soon", "2026-02-30", "13/13/2026", "12.02.2026 25:00", "2026-02-12 09:15 CET", "123", "12.02"])
    func readsNoDateFromText(text: String) {
        #expect(LeadDate.parse(text, format: DateFormat(order: .mdy)) == nil)
    }

    @Test func readsSlashDatesDayFirstInADayFirstColumn() {
        #expect(LeadDate.parse("03/04/2026", format: DateFormat(order: .dmy))?.iso == "2026-04-03T00:00:00Z")
        #expect(LeadDate.parse("03/04/2026", format: DateFormat(order: .mdy))?.iso == "2026-03-04T00:00:00Z")
    }

    @Test func readsOnlyItsOwnPatternWhenAColumnNamesOne() {
        let format = DateFormat(pattern: DatePattern("dd.MM.yyyy HH:mm"))
        #expect(format.pattern != nil)
        #expect(LeadDate.parse("12.02.2026 09:15", format: format)?.iso == "2026-02-12T09:15:00Z")
        #expect(LeadDate.parse("2026-02-12", format: format) == nil)
        #expect(DatePattern("yyyy-MM") == nil)
        #expect(DatePattern("MMM d, yyyy") == nil)
    }

    @Test func decidesTheSlashOrderByValuesOver12AndFallsBackWhenNoneSaysIt() {
        let dayFirst = DateFormat.detect(["25/03/2026", "01/02/2026", "2026-01-01"], fallback: .mdy)
        #expect(dayFirst.format.order == .dmy)
        #expect(!dayFirst.orderUndecided)
        #expect(dayFirst.shapes == ["dd/MM/yyyy": 2, "ISO 8601": 1])
        let monthFirst = DateFormat.detect(["03/25/2026 9:15 AM", "12.02.2026 09:15"], fallback: .dmy)
        #expect(monthFirst.format.order == .mdy)
        let undecided = DateFormat.detect(["01/02/2026", "03/04/2026"], fallback: .dmy)
        #expect(undecided.format.order == .dmy)
        #expect(undecided.orderUndecided)
    }
}
