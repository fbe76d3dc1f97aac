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
        // Trailing empty values hold no offsets: the row is its text and three two-byte offsets.
        #expect(fields.byteCount == 3 * 2 + 5)
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

    /// Rows with a notes field pasted from a document: the text passes 64 KiB (four-byte offsets from then on)
    /// by single writes, by runs of columns, and from the start.
    @Test(arguments: [5, 19])
    func rowsWhoseTextPasses64KiBKeepEveryValue(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let long = String(repeating: "Notes from the call, ünïcode and all. ", count: 600)  // 23 KB
        let samples = Self.samples + [long, long + "!"]
        var model = [String](repeating: "", count: 6)
        var fields = PackedFields(model)
        var largest = 0
        for _ in 0..<400 {
            let column = Int(random.next() % 9)
            if random.next() % 2 == 0 {
                let value = samples[Int(random.next() % UInt64(samples.count))]
                fields[column] = value
                if column >= model.count { model += repeatElement("", count: column + 1 - model.count) }
                model[column] = value
            } else {
                let values = (0..<2).map { _ in samples[Int(random.next() % UInt64(samples.count))] }
                var text: [UInt8] = [], ends: [UInt32] = []
                for value in values {
                    text += Array(value.utf8)
                    ends.append(UInt32(text.count))
                }
                text.withUnsafeBufferPointer { text in ends.withUnsafeBufferPointer { fields.replace(column..<(column + 2), with: text, ends: $0) } }
                if column + 2 > model.count { model += repeatElement("", count: column + 2 - model.count) }
                model[column] = values[0]
                model[column + 1] = values[1]
            }
            #expect(fields.strings == model)
            if fields.strings != model { return }
            largest = max(largest, fields.byteCount)
        }
        #expect(largest > 100_000, "the edits reached rows well past 64 KiB")
        let built = PackedFields([long, "", long, long, "x"])
        #expect(built.strings == [long, "", long, long, "x"])
        #expect(built.byteCount == 5 * 4 + 3 * long.utf8.count + 1)
        var builder = PackedFieldsBuilder()
        for value in [long, long, "", long] {
            var value = value
            value.withUTF8 { builder.append($0) }
        }
        #expect(builder.finish(width: 4).strings == [long, long, "", long])
    }

    /// Rows as the reader makes them, sized for their own text (or as wide as a schema with added columns, with
    /// room for their values), then given a stage's run of added columns (the write that moves the row to a
    /// larger buffer, or fills its room): before, after, over and past the stored columns, with room asked for
    /// later columns, and a copy taken before the write left as it was.
    @Test(arguments: [(4, 4), (6, 4), (2, 3), (0, 5), (1, 1), (9, 2)])
    func runsThatOutgrowAParsedRowKeepEveryValue(first: Int, count: Int) {
        let parsed = ["L-1", "Ana", "", "Zoë Müller", "acme.example", "", "🚀 launch"]
        let values = (0..<count).map { k in k % 2 == 0 ? "added \(k) " + Self.samples[k % Self.samples.count] : "" }
        var text: [UInt8] = [], ends: [UInt32] = []
        for value in values {
            text += Array(value.utf8)
            ends.append(UInt32(text.count))
        }
        for (reserving, width) in [(0, parsed.count), (140, parsed.count), (0, max(parsed.count, first + count) + 2)] {
            var builder = PackedFieldsBuilder()
            for value in parsed {
                var value = value
                value.withUTF8 { builder.append($0) }
            }
            var fields = builder.finish(width: width)
            let copy = fields
            text.withUnsafeBufferPointer { text in
                ends.withUnsafeBufferPointer { fields.replace(first..<(first + count), with: text, ends: $0, reserving: reserving) }
            }
            var model = parsed + [String](repeating: "", count: max(0, max(width, first + count) - parsed.count))
            for (k, value) in values.enumerated() { model[first + k] = value }
            #expect(fields.strings == model)
            #expect(copy.strings == parsed + [String](repeating: "", count: width - parsed.count))
            fields[first + count] = "a later stage's value"
            model += [String](repeating: "", count: max(0, first + count + 1 - model.count))
            model[first + count] = "a later stage's value"
            #expect(fields.strings == model)
        }
    }

    @Test func releasingSlackKeepsValuesAndLaterWrites() {
        var fields = PackedFields(["L1", "Ana"])
        fields[40] = "added after the parse"
        fields[2] = "a value written into the middle"
        let before = fields.strings
        fields.releaseSlack()
        #expect(fields.strings == before)
        fields[1] = "Ana María"
        #expect(fields[1] == "Ana María" && fields[2] == "a value written into the middle" && fields[40] == "added after the parse")
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
