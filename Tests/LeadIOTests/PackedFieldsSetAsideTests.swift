import LeadFacts
import LeadRecords
import Testing

/// A held row keeps some columns and its stored form goes to a file; put back together, it is the original row
/// with the stage's writes in the kept columns.
@Suite("Packed rows set aside and restored")
struct PackedFieldsSetAsideTests {
    @Test(arguments: [3, 11, 29])
    func keepingStoringAndRestoringAgreesWithArraysOfStrings(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // Long values push some rows past 64 KiB of text, where offsets are four bytes wide.
        let samples = PackedFieldsTests.samples + [String(repeating: "ü", count: 40_000)]
        var blob: [UInt8] = []
        var originals: [[String]] = [], held: [PackedFields] = [], masks: [[Bool]] = []
        var builder = PackedFieldsBuilder()
        for _ in 0..<300 {
            let width = 1 + Int(random.next() % 12)
            let values = (0..<width).map { _ in random.next() % 3 == 0 ? "" : samples[Int(random.next() % UInt64(samples.count))] }
            let mask = (0..<(width + Int(random.next() % 3))).map { _ in random.next() % 3 == 0 }
            let fields = PackedFields(values)
            fields.appendStored(to: &blob)
            let kept = fields.keeping(mask, roomForColumns: mask.count, extra: Int(random.next() % 40))
            #expect(kept.count == width)
            #expect((0..<width).allSatisfy { kept[$0] == (mask[$0] ? values[$0] : "") })
            originals.append(values)
            held.append(kept)
            masks.append(mask)
        }
        blob.withUnsafeBytes { raw in
            var offset = 0
            for i in originals.indices {
                let stored = PackedFields(storedIn: raw, at: &offset)
                #expect(stored.strings == originals[i])
                // The stage writes into a kept column, possibly one past the row's width.
                var row = held[i]
                let written = masks[i].lastIndex(of: true)
                if let written { row[written] = "written \(i)" }
                let restored = row.restoring(stored, kept: masks[i], builder: &builder)
                var expected = originals[i]
                if let written {
                    if written >= expected.count { expected += repeatElement("", count: written + 1 - expected.count) }
                    expected[written] = "written \(i)"
                }
                #expect(restored.strings == expected)
            }
            #expect(offset == raw.count)
        }
    }
}
