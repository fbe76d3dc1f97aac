import LeadFacts
import LeadIO
import LeadRecords
import Testing

@Suite("Packed row values")
struct PackedFieldsTests {
    /// Values as exports hold them: empty, ASCII, accented, emoji, quotes and line breaks, long texts.
    static let samples = ["", "", "Acme", "Zoë Müller-Lüdenscheidt", "🚀 launch", "say \"hi\"", "two\nlines",
                          String(repeating: "long text ", count: 40), "x", " padded "]

    @Test func readsBackWhatItWasBuiltFromWithTrailingEmptyColumns() {
        let values = ["a", "", "Zoë", "", ""]
        let fields = PackedFields(values)
        #expect(fields.count == 5)
        #expect(fields.strings == values)
        #expect(fields.isEmpty(1) && !fields.isEmpty(2) && fields.isEmpty(4) && fields.isEmpty(99))
        #expect(fields.utf8Count(2) == 4)
        #expect(fields.equals(2, "Zoë") && !fields.equals(2, "Zoe") && fields.equals(7, ""))
        // Trailing empty values hold no offsets: the row is its text and three offsets.
        #expect(fields.byteCount == 3 * 4 + 5)
    }

    @Test(arguments: [1, 7, 42])
    func randomEditsAgreeWithAnArrayOfStrings(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var model = [String](repeating: "", count: 4)
        var fields = PackedFields(model)
        for _ in 0..<3_000 {
            let column = Int(random.next() % 12)
            let value = Self.samples[Int(random.next() % UInt64(Self.samples.count))]
            switch random.next() % 3 {
            case 0:
                let width = Int(random.next() % 14)
                fields.pad(to: width)
                if width > model.count { model += repeatElement("", count: width - model.count) }
            default:
                fields[column] = value
                if column >= model.count { model += repeatElement("", count: column + 1 - model.count) }
                model[column] = value
            }
            #expect(fields.strings == model)
            if fields.strings != model { return }
        }
    }

    @Test(arguments: [3, 11, 58])
    func runsOfColumnsSetAtOnceAgreeWithSettingThemOneByOne(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var model = [String](repeating: "", count: 3)
        var fields = PackedFields(model)
        for _ in 0..<2_000 {
            let first = Int(random.next() % 10), count = Int(random.next() % 5)
            let values = (0..<count).map { _ in Self.samples[Int(random.next() % UInt64(Self.samples.count))] }
            var text: [UInt8] = [], ends: [UInt32] = []
            for value in values {
                text += Array(value.utf8)
                ends.append(UInt32(text.count))
            }
            text.withUnsafeBufferPointer { text in ends.withUnsafeBufferPointer { fields.replace(first..<(first + count), with: text, ends: $0) } }
            if count > 0, first + count > model.count { model += repeatElement("", count: first + count - model.count) }
            for (k, value) in values.enumerated() { model[first + k] = value }
            #expect(fields.strings == model)
            if fields.strings != model { return }
            // Single edits in between, so runs land on rows of every shape.
            if random.next() % 3 == 0 {
                let column = Int(random.next() % 12)
                fields[column] = Self.samples[Int(random.next() % UInt64(Self.samples.count))]
                if column >= model.count { model += repeatElement("", count: column + 1 - model.count) }
                model[column] = fields[column]
            }
        }
    }

    @Test func copiesAreIndependent() {
        var first = PackedFields(["a", "b"])
        let second = first
        first[1] = "changed"
        first[5] = "added"
        #expect(second.strings == ["a", "b"])
        #expect(first.strings == ["a", "changed", "", "", "", "added"])
    }

    @Test func builderMakesTheRowsAParserSplits() {
        var builder = PackedFieldsBuilder()
        for row in [["L1", "Ana", "", "ana@acme.com"], ["L2", "", "", ""], ["", "Émile", "x", ""]] {
            for value in row {
                var value = value
                value.withUTF8 { builder.append($0) }
            }
            let fields = builder.finish(width: 6)
            #expect(fields.count == 6)
            #expect(fields.strings == row + ["", ""])
        }
        #expect(builder.count == 0)
    }

    @Test func serializesPackedRowsAsItSerializesStrings() {
        let rows = [["plain", "a,b", "say \"hi\"", "two\nlines", ""], ["é", " x ", "", "\r", "=SUM(A1)"], ["", "", "", "", ""]]
        for format in [RecordFormat.csv, .jsonl, .delimited(delimiter: UInt8(ascii: ";"))] {
            let serializer = RecordSerializer(format: format, columns: ["c1", "c2", "c3", "c4", "c5"], guardsFormulas: true)
            var fromStrings: [UInt8] = [], fromPacked: [UInt8] = []
            for row in rows {
                serializer.append(row, to: &fromStrings)
                serializer.append(PackedFields(row), to: &fromPacked)
            }
            #expect(fromPacked == fromStrings)
        }
    }
}
