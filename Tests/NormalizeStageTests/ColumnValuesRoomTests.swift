import LeadRecords
import Testing

/// The ways normalize writes into a ``ColumnValues`` without a `String`: room written in place, and a copy of
/// bytes written before (the registrable domain out of the URL or the address).
@Suite("ColumnValues room")
struct ColumnValuesRoomTests {
    @Test func writesInPlaceAndCopiesEarlierBytesAcrossGrowth() {
        let values = ColumnValues()
        values.start()
        values.append(upTo: 8) { out in
            for (i, b) in "https://".utf8.enumerated() { out[i] = b }
            return 8
        }
        let host = values.count
        values.append(String(repeating: "a", count: 600) + ".com")
        let hostEnd = values.count
        values.endValue()
        values.appendWritten(host..<hostEnd)
        values.endValue()
        values.append(upTo: 4) { _ in 0 }
        values.endValue()
        var fields = PackedFields(width: 3)
        values.write(into: &fields, run: 0..<3)
        #expect(fields[0] == "https://" + String(repeating: "a", count: 600) + ".com")
        #expect(fields[1] == String(repeating: "a", count: 600) + ".com")
        #expect(fields[2] == "")
    }
}
