import Foundation
import LeadIO
import LeadRecords
import Testing
import TestSupport

@Suite("Writing records")
struct RecordWritingTests {
    @Test func quotesCSVFieldsOnlyWhenNeededAndRoundTrips() throws {
        try withTemporaryDirectory { dir in
            let rows = [["plain", "a,b", "say \"hi\"", "two\nlines", ""], ["é", " x ", "", "\r", "last"]]
            let serializer = RecordSerializer(format: .csv, columns: ["c1", "c2", "c3", "c4", "c5"])
            var bytes = serializer.header()
            for row in rows { serializer.append(row, to: &bytes) }
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("c1,c2,c3,c4,c5\nplain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n"))
            let path = try dir.write("out.csv", bytes: bytes)
            #expect(try readAll(path).records.map(\.values) == rows)
        }
    }

    /// A packed row is scanned whole, sixteen bytes at a time, before its fields are: a special byte anywhere in
    /// a long row (at every position across the vector boundaries, in a column rewritten after packing) must still
    /// get its field quoted exactly as the field-by-field writing of the same values does.
    @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")])
    func packedRowsAreQuotedAsTheirValuesAre(delimiter: UInt8) {
        let serializer = RecordSerializer(format: .delimited(delimiter: delimiter), columns: (0..<9).map { "c\($0)" })
        let base = ["L0000001", "Anna-Lena", "Müller", "anna@example.de", "Head of Sales", "Acme GmbH & Co. KG",
                    "https://acme.example/about", "+49 30 1234567", ""]
        let total = base.reduce(0) { $0 + $1.utf8.count }
        for special in [delimiter, UInt8(ascii: "\""), 0x0A, 0x0D] {
            for position in 0..<total {
                var values = base
                var at = position
                let column = values.firstIndex { value in
                    if at < value.utf8.count { return true }
                    at -= value.utf8.count
                    return false
                }!
                var bytes = Array(values[column].utf8)
                bytes[at] = special
                values[column] = String(decoding: bytes, as: UTF8.self)
                var packed = PackedFields(base)
                packed[column] = values[column]
                var fromPacked: [UInt8] = [], fromValues: [UInt8] = []
                serializer.append(packed, to: &fromPacked)
                serializer.append(values, to: &fromValues)
                #expect(fromPacked == fromValues, "byte \(special) at \(position)")
            }
        }
        var plain: [UInt8] = [], plainValues: [UInt8] = []
        serializer.append(PackedFields(base), to: &plain)
        serializer.append(base, to: &plainValues)
        #expect(plain == plainValues)
        #expect(!plain.contains(UInt8(ascii: "\"")))
    }

    /// Every special byte at every position of fields shorter and longer than the eight-byte scan,
    /// against RFC 4180 quoting written out by hand.
    @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: "\t"), 0])
    func quotesFieldsWithASpecialByteAtAnyPosition(delimiter: UInt8) {
        let serializer = RecordSerializer(format: .delimited(delimiter: delimiter), columns: ["a", "b"])
        for length in 1...19 {
            for position in 0..<length {
                for special in [delimiter, UInt8(ascii: "\""), 0x0A, 0x0D] {
                    var field = Array(repeating: UInt8(ascii: "x"), count: length)
                    field[position] = special
                    let value = String(decoding: field, as: UTF8.self)
                    var out: [UInt8] = []
                    serializer.append([value, "tail"], to: &out)
                    let quoted = [UInt8(ascii: "\"")] + field.flatMap { $0 == UInt8(ascii: "\"") ? [$0, $0] : [$0] } + [UInt8(ascii: "\"")]
                    #expect(out == quoted + [delimiter] + Array("tail\n".utf8), "length \(length), byte \(special) at \(position)")
                }
            }
            let plain = String(repeating: "é", count: length)
            var out: [UInt8] = []
            serializer.append([plain], to: &out)
            #expect(out == Array(plain.utf8) + [delimiter, 0x0A])
        }
    }

    @Test(arguments: [
        ("=HYPERLINK(\"http://x.test\")", true), ("@SUM(A1:A2)", true), ("+cmd|' /C calc'!A0", true), ("-2+3+cmd|x", true),
        ("\tx", true), ("\r=1", true), ("+1 415 555 0134", false), ("-12.5", false), ("-", false), ("+", false),
        ("+44 (0)20 7946 0958", false), ("a=b", false), ("jane@acme.test", false), ("", false), (" =1", false),
    ])
    func recognisesWhatASpreadsheetWouldRunAsAFormula(value: String, isFormula: Bool) {
        #expect(FormulaGuard.isFormula(value) == isFormula)
    }

    @Test func guardsFormulasInDelimitedFieldsOnlyWhenAsked() throws {
        try withTemporaryDirectory { dir in
            let row = ["=HYPERLINK(\"http://x.test\",\"Click\")", "+1 415 555 0134", "@SUM(1,2)", "Acme"]
            let guarded = RecordSerializer(format: .csv, columns: ["a", "b", "c", "d"], guardsFormulas: true)
            var bytes: [UInt8] = []
            guarded.append(row, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self)
                    == "\"'=HYPERLINK(\"\"http://x.test\"\",\"\"Click\"\")\",+1 415 555 0134,\"'@SUM(1,2)\",Acme\n")
            let path = try dir.write("guarded.csv", bytes: [UInt8]("a,b,c,d\n".utf8) + bytes)
            #expect(try readAll(path).records.map(\.values) == [["'" + row[0], row[1], "'" + row[2], row[3]]])

            var plain: [UInt8] = []
            RecordSerializer(format: .csv, columns: ["a", "b", "c", "d"]).append(row, to: &plain)
            #expect(String(decoding: plain, as: UTF8.self).hasPrefix("\"=HYPERLINK("))
            var json: [UInt8] = []
            RecordSerializer(format: .jsonl, columns: ["a"], guardsFormulas: true).append(["=1+1"], to: &json)
            #expect(String(decoding: json, as: UTF8.self) == "{\"a\":\"=1+1\"}\n")
        }
    }

    @Test func writesOnlyTheChosenValuesInTheChosenOrderWithTheirHeader() throws {
        let row = ["1", "Ann@Acme.com", "=cmd|x", "a,b", "ann@acme.com"]
        let csv = RecordSerializer(format: .csv, columns: ["norm_email", "Company", "Lead ID", "missing"],
                                   valuePositions: [4, 3, 0, 7], guardsFormulas: true)
        var bytes = csv.header()
        csv.append(row, to: &bytes)
        // Quoting and the formula guard apply to picked fields; a position past the row's values is empty.
        #expect(String(decoding: bytes, as: UTF8.self) == "norm_email,Company,Lead ID,missing\nann@acme.com,\"a,b\",1,\n")

        let guarded = RecordSerializer(format: .tsv, columns: ["Note"], valuePositions: [2], guardsFormulas: true)
        var tsv: [UInt8] = []
        guarded.append(row, to: &tsv)
        #expect(String(decoding: tsv, as: UTF8.self) == "'=cmd|x\n")

        let jsonl = RecordSerializer(format: .jsonl, columns: ["norm_email", "Lead ID"], valuePositions: [4, 0])
        var json: [UInt8] = []
        jsonl.append(row, to: &json)
        #expect(jsonl.header().isEmpty)
        #expect(String(decoding: json, as: UTF8.self) == #"{"norm_email":"ann@acme.com","Lead ID":"1"}"# + "\n")
    }

    @Test func writesJSONLThatReadsBackTheSame() throws {
        try withTemporaryDirectory { dir in
            let rows = [["a@x.com", "quote \" and \\ and \n and \u{1}"], ["b@y.com", "é"],
                        ["c@w.com", "a plain value longer than eight bytes"], ["", "sixteen bytes, a tab\t"]]
            let serializer = RecordSerializer(format: .jsonl, columns: ["email", "note"])
            var bytes: [UInt8] = []
            for row in rows { serializer.append(row, to: &bytes) }
            let path = try dir.write("out.jsonl", bytes: bytes)
            #expect(try readAll(path, format: .jsonl).records.map(\.values) == rows)
            #expect(try dir.read("out.jsonl").split(separator: "\n").map(String.init) == [
                #"{"email":"a@x.com","note":"quote \" and \\ and \n and \u0001"}"#,
                #"{"email":"b@y.com","note":"é"}"#,
                #"{"email":"c@w.com","note":"a plain value longer than eight bytes"}"#,
                #"{"email":"","note":"sixteen bytes, a tab\t"}"#,
            ])
        }
    }

    @Test func atomicOutputAppearsOnlyOnCommit() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("sub/out.csv")
            let file = try AtomicOutputFile(path: path)
            try file.write(Array("a,b\n".utf8))
            #expect(!FileManager.default.fileExists(atPath: path))
            try file.commit()
            #expect(try dir.read("sub/out.csv") == "a,b\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("sub")) == ["out.csv"])
        }
    }

    @Test func outputLargerThanTheWriteBackStepArrivesWholeAndOnlyOnCommit() throws {
        try withTemporaryDirectory { dir in
            try dir.write("out.csv", "previous\n")
            let path = dir.path("out.csv")
            let file = try AtomicOutputFile(path: path)
            // Blocks of different bytes, so a block written back twice or skipped would show.
            var expected: [UInt8] = []
            for block in 0..<(3 * AtomicOutputFile.writeBackStep / 65_536 + 5) {
                let bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: block), count: 65_536)
                try file.write(bytes)
                expected += bytes
            }
            #expect(try dir.read("out.csv") == "previous\n")
            try file.commit()
            #expect(FileManager.default.contents(atPath: path) == Data(expected))
            #expect(file.bytesWritten == expected.count)
        }
    }

    @Test func discardedOutputLeavesThePreviousFileAndNoTemporary() throws {
        try withTemporaryDirectory { dir in
            try dir.write("out.csv", "previous\n")
            let file = try AtomicOutputFile(path: dir.path("out.csv"))
            try file.write(Array("new\n".utf8))
            file.discard()
            #expect(try dir.read("out.csv") == "previous\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["out.csv"])
        }
    }
}
