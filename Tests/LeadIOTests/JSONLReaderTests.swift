import LeadIO
import LeadRecords
import Testing
import TestSupport

@Suite("JSONL reading")
struct JSONLReaderTests {
    @Test func learnsColumnsInFirstSeenOrderAndFlattensValues() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.jsonl", """
            {"email":"a@x.com","name":"Ann \\"A\\" \\u00e9","score":3.5}
            {"email":"b@y.com","active":true,"tags":["x","y"],"name":null}

            """)
            let (columns, records) = try readAll(path, format: .jsonl)
            #expect(columns == ["email", "name", "score", "active", "tags"])
            #expect(records[0].values == ["a@x.com", "Ann \"A\" é", "3.5", "", ""])
            #expect(records[1].values == ["b@y.com", "", "", "true", "[\"x\",\"y\"]"])
        }
    }

    @Test func rejectsLinesThatAreNotJSONObjectsWithTheirLineNumbers() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("in.jsonl", "{\"a\":\"1\"}\n{\"a\": oops}\n[1,2]\n{\"a\":\"2\"}\n")
            let (_, records) = try readAll(path, format: .jsonl)
            #expect(records.map(\.line) == [1, 2, 3, 4])
            #expect(records[1].rejection?.reason == .jsonlInvalid)
            #expect(records[2].rejection?.reason == .jsonlInvalid)
            #expect(records[3].values == ["2"])
        }
    }

    @Test func rejectsKeysNotSeenInTheSample() throws {
        try withTemporaryDirectory { dir in
            var text = ""
            for i in 0..<5 { text += "{\"a\":\"\(i)\"}\n" }
            text += "{\"a\":\"5\",\"surprise\":\"x\"}\n"
            let path = try dir.write("in.jsonl", text)
            let reader = try RecordReader(path: path, format: .jsonl, schemaSample: .firstLines(3))
            let parser = RecordParser(format: .jsonl, columns: reader.columns)
            var records: [Record] = []
            while let chunk = try reader.nextChunk() { records += parser.parse(chunk, width: 1).records }
            #expect(records.count == 6)
            #expect(records[5].rejection?.reason == .jsonlUnexpectedField)
        }
    }
}
