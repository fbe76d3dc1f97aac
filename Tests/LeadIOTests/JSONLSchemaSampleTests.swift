import Foundation
import LeadIO
import LeadRecords
import Testing
import TestSupport

/// Which lines a JSONL input's columns are learned from (`input.schema_sample_lines`).
@Suite("JSONL schema sample")
struct JSONLSchemaSampleTests {
    /// Reads every record of `path` the way the executor does.
    func readAll(_ path: String, sample: JSONLSchemaSample, maxRecordBytes: Int = 1 << 20)
        throws -> (reader: RecordReader, records: [Record]) {
        let reader = try RecordReader(path: path, format: .jsonl, maxRecordBytes: maxRecordBytes, schemaSample: sample)
        let parser = RecordParser(format: .jsonl, columns: reader.columns)
        var records: [Record] = []
        while let chunk = try reader.nextChunk() { records += parser.parse(chunk, width: reader.columns.count).records }
        return (reader, records)
    }

    /// A CRM export of `count` lines in which `phone` first appears on line `phoneLine` and
    /// `linkedin` on line `linkedinLine`; long enough to span several of the reader's 1 MiB blocks.
    static func export(count: Int, phoneLine: Int, linkedinLine: Int) -> String {
        var text = ""
        for line in 1...count {
            text += "{\"email\":\"lead\(line)@example.com\",\"name\":\"Lead number \(line) with a longer name\""
            if line >= phoneLine { text += ",\"phone\":\"+1415555\(line)\"" }
            if line == linkedinLine { text += ",\"linkedin\":\"https://linkedin.com/in/lead\(line)\"" }
            text += "}\n"
        }
        return text
    }

    @Test func allKeepsEveryRowWhenAKeyFirstAppearsFarBeyondTheOldSample() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("crm.jsonl", Self.export(count: 30_000, phoneLine: 1_500, linkedinLine: 25_000))
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 > 2 << 20)
            let (reader, records) = try readAll(path, sample: .wholeInput)
            #expect(reader.columns == ["email", "name", "phone", "linkedin"])
            #expect(reader.schemaNote == nil)
            #expect(records.count == 30_000)
            #expect(records.allSatisfy { $0.rejection == nil })
            #expect(records.map(\.line) == Array(1...30_000))
            #expect(records[24_999].values == ["lead25000@example.com", "Lead number 25000 with a longer name",
                                               "+141555525000", "https://linkedin.com/in/lead25000"])
            #expect(records[0].values == ["lead1@example.com", "Lead number 1 with a longer name", "", ""])
        }
    }

    @Test func wholeInputIsTheDefault() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("crm.jsonl", Self.export(count: 1_200, phoneLine: 1_100, linkedinLine: 1_150))
            let reader = try RecordReader(path: path, format: .jsonl)
            #expect(reader.columns == ["email", "name", "phone", "linkedin"])
        }
    }

    @Test func aNumericSampleStillRejectsLaterKeysWithTheirLineNumbers() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("crm.jsonl", Self.export(count: 10, phoneLine: 4, linkedinLine: 7))
            let (reader, records) = try readAll(path, sample: .firstLines(3))
            #expect(reader.columns == ["email", "name"])
            #expect(reader.schemaNote == nil)
            let rejected = records.filter { $0.rejection != nil }
            #expect(rejected.map(\.line) == Array(4...10))
            #expect(rejected.allSatisfy { $0.rejection?.reason == .jsonlUnexpectedField })
            #expect(rejected.first?.rejection?.detail.hasPrefix("key 'phone' is not among the columns learned from the first lines") == true)
        }
    }

    @Test func theFirstPassLearnsNoKeyFromLinesTheReadRejects() throws {
        try withTemporaryDirectory { dir in
            let tooLong = "{\"email\":\"c@x.com\",\"huge\":\"" + String(repeating: "x", count: 300) + "\"}"
            var bytes = [0xEF, 0xBB, 0xBF] as [UInt8]
            bytes += Array("""
            {"email":"a@x.com"}
            {"email":"b@x.com","ghost": oops}
            \(tooLong)

            {"email":"d@x.com","late":"yes"}

            """.utf8)
            bytes += Array("{\"email\":\"e@x.com\",\"bad_utf8\":\"".utf8) + [0xFF] + Array("\"}\n".utf8)
            let path = try dir.write("mixed.jsonl", bytes: bytes)
            let (reader, records) = try readAll(path, sample: .wholeInput, maxRecordBytes: 128)
            #expect(reader.columns == ["email", "late"])
            #expect(records.map(\.line) == [1, 2, 3, 5, 6])
            #expect(records.map { $0.rejection?.reason } == [nil, .jsonlInvalid, .recordTooLong, nil, .invalidUTF8])
            #expect(records[3].values == ["d@x.com", "yes"])
        }
    }

    @Test func keysInAnotherOrderOrWrittenWithEscapesAreLearnedByTheirText() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("order.jsonl", """
            {"a":1,"b":2}
            {"b":3,"a":4}
            {"a":5,"b\\u0063":6}
            {"\\u0061":7,"bc":8}

            """)
            let (reader, records) = try readAll(path, sample: .wholeInput)
            #expect(reader.columns == ["a", "b", "bc"])
            #expect(records.map(\.values) == [["1", "2", ""], ["4", "3", ""], ["5", "", "6"], ["7", "", "8"]])
        }
    }

    @Test func aFIFOIsSampledOnItsFirstLinesAndTheReaderSaysSo() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("export.fifo")
            #expect(mkfifo(path, 0o600) == 0)
            let text = Self.export(count: 1_200, phoneLine: 900, linkedinLine: 1_100)
            // Opening a FIFO blocks until both ends are open, so the writer runs on its own thread.
            let writer = Thread {
                guard let handle = FileHandle(forWritingAtPath: path) else { return }
                handle.write(Data(text.utf8))
                try? handle.close()
            }
            writer.start()
            let (reader, records) = try readAll(path, sample: .wholeInput)
            #expect(reader.columns == ["email", "name", "phone"])
            #expect(reader.schemaNote?.contains("first 1000 lines") == true)
            #expect(records.count == 1_200)
            let rejected = records.filter { $0.rejection != nil }
            #expect(rejected.map(\.line) == [1_100])
            #expect(rejected.first?.rejection?.reason == .jsonlUnexpectedField)
        }
    }
}
