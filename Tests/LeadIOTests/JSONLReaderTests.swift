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

    @Test func findsEachKeysColumnWhateverItsPositionOrSpelling() throws {
        try withTemporaryDirectory { dir in
            // Line 2 has the keys in another order, line 3 writes one key with escapes, line 4 repeats a
            // key (the last value wins) and has a value with a backslash, a tab and a quote.
            let path = try dir.write("in.jsonl", #"""
            {"email":"a@x.com","First Name":"Ann","score":1}
            {"score":2,"First Name":"Bob","email":"b@y.com"}
            {"email":"c@z.com","Fir\u0073t Name":"Cy","score":3}
            {"email":"d@w.com","First Name":"Di","First Name":"Dee","score":"a\\b\tc\"d"}
            {"email":"e@v.com","First Name":"Ed","sc\"ore":5}

            """#)
            let (columns, records) = try readAll(path, format: .jsonl)
            #expect(columns == ["email", "First Name", "score", "sc\"ore"])
            #expect(records[0].values == ["a@x.com", "Ann", "1", ""])
            #expect(records[1].values == ["b@y.com", "Bob", "2", ""])
            #expect(records[2].values == ["c@z.com", "Cy", "3", ""])
            // A key given twice keeps neither value: the line is rejected, naming the key.
            #expect(records[3].rejection?.reason == .jsonlDuplicateKey)
            #expect(records[3].rejection?.detail.contains("'First Name'") == true)
            #expect(records[4].values == ["e@v.com", "Ed", "", "5"])
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
