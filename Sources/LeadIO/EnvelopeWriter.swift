import LeadRecords

/// Writes the lines of the JSONL envelope a distributed run (`scripts/leadhygiene_spark.py`) passes
/// between the binary's processes: one JSON object per line, every row tagged with its `seq`, the input
/// line it came from, so that rows cut into partitions can be put back in input order.
///
/// ```
/// {"kind":"input","columns":["Email","Name"],"format":"delimited","delimiter":",",
///  "stages":[{"name":"normalize","whole_list":false}],"fields":{"email":"Email"},"sample":[["a@x.com","Ann"]]}
/// {"seq":2,"kind":"row","row":{"Email":"a@x.com","Name":"Ann"}}
/// {"seq":3,"kind":"reject","stage":"input","reason":"csv_wrong_column_count","detail":"…","raw":"a,b,c"}
/// {"kind":"header","columns":[…],"output":"Email,Name\n","rejects":"reject_line,…\n","merged":""}
/// {"seq":2,"kind":"row","row":{…},"text":"a@x.com,Ann\n"}
/// {"seq":3,"kind":"carried","disposition":{"rejected":"csv_wrong_column_count","stage":"input","detail":"…","raw":"a,b,c"},"row":{…}}
/// {"kind":"summary","report":{…}}
/// ```
/// `row` always comes right after `kind`, so ``EnvelopeReader`` finds a row's values without decoding the
/// line; `text` is the line as the one-machine run writes it in its file, so the parts put together are
/// byte for byte that file.
public struct EnvelopeWriter: Sendable {
    /// Writes `row` objects with these columns, in order.
    let row: RecordSerializer
    /// Writes JSON strings (its columns are never used).
    static let strings = RecordSerializer(format: .csv, columns: [])

    public init(columns: [String]) {
        row = RecordSerializer(format: .jsonl, columns: columns)
    }

    /// The first line of an encoded input: its columns, the format it was read as, and its first rows
    /// (which decide date formats, so every partition decides them as one run over the whole input does).
    /// `stages` are the pipeline's, each with whether it needs every row at once (dedupe, scrape, route), and
    /// `fields` the canonical fields the columns are mapped to, for a driver that keys rows by one (the email);
    /// `usesStore` says the pipeline has a run store, which no partition opens.
    public static func inputHeader(columns: [String], format: RecordFormat, sample: [[String]],
                                   stages: [(name: String, wholeList: Bool)] = [], fields: [(field: String, column: String)] = [],
                                   usesStore: Bool = false) -> [UInt8] {
        var out = Array(#"{"kind":"input","columns":"#.utf8)
        appendStrings(columns, to: &out)
        switch format {
        case .jsonl:
            out.append(contentsOf: #","format":"jsonl""#.utf8)
        case .delimited(let delimiter):
            out.append(contentsOf: #","format":"delimited","delimiter":"#.utf8)
            Self.strings.appendJSONString(String(decoding: [delimiter], as: UTF8.self), to: &out)
        }
        out.append(contentsOf: #","stages":["#.utf8)
        for (i, stage) in stages.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"name":"#.utf8)
            Self.strings.appendJSONString(stage.name, to: &out)
            out.append(contentsOf: (stage.wholeList ? #","whole_list":true}"# : #","whole_list":false}"#).utf8)
        }
        out.append(contentsOf: #"],"fields":{"#.utf8)
        for (i, mapping) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            Self.strings.appendJSONString(mapping.field, to: &out)
            out.append(UInt8(ascii: ":"))
            Self.strings.appendJSONString(mapping.column, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        out.append(contentsOf: (usesStore ? #","store":true"# : #","store":false"#).utf8)
        out.append(contentsOf: #","sample":["#.utf8)
        for (i, values) in sample.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendStrings(values, to: &out)
        }
        out.append(contentsOf: "]}\n".utf8)
        return out
    }

    /// The first line of a run's envelope output: the columns of its rows and the header lines of its
    /// clean, rejects and merged files as they would be written (empty when there is none).
    public static func outputHeader(columns: [String], output: [UInt8], rejects: [UInt8], merged: [UInt8]) -> [UInt8] {
        var out = Array(#"{"kind":"header","columns":"#.utf8)
        appendStrings(columns, to: &out)
        for (key, text) in [("output", output), ("rejects", rejects), ("merged", merged)] {
            out.append(contentsOf: ",\"\(key)\":".utf8)
            Self.strings.appendJSONString(String(decoding: text, as: UTF8.self), to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// The last line of a run's envelope output: its report (report.json's object, pretty-printed or not;
    /// its line breaks and indentation are taken out, which JSON strings never hold unescaped).
    public static func summary(reportJSON: String) -> [UInt8] {
        let oneLine = reportJSON.split(separator: "\n").map { $0.drop { $0 == " " } }.joined()
        return Array(#"{"kind":"summary","report":"#.utf8) + Array(oneLine.utf8) + Array("}\n".utf8)
    }

    /// `{"seq":…,"kind":"row","row":{…}[,"text":…]}`
    public func appendRow(seq: Int, fields: PackedFields, text: [UInt8]?, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"seq\":\(seq),\"kind\":\"row\",\"row\":".utf8)
        appendValues(fields, to: &out)
        appendText(text, to: &out)
    }

    /// `{"seq":…,"kind":"reject","stage":…,"reason":…,"detail":…,"raw":…[,"text":…]}`
    public func appendReject(seq: Int, rejection: Rejection, raw: String?, text: [UInt8]?, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"seq\":\(seq),\"kind\":\"reject\",\"stage\":".utf8)
        Self.strings.appendJSONString(rejection.stage, to: &out)
        out.append(contentsOf: ",\"reason\":".utf8)
        Self.strings.appendJSONString(rejection.reason.code, to: &out)
        out.append(contentsOf: ",\"detail\":".utf8)
        Self.strings.appendJSONString(rejection.detail, to: &out)
        out.append(contentsOf: ",\"raw\":".utf8)
        Self.strings.appendJSONString(raw ?? "", to: &out)
        appendText(text, to: &out)
    }

    /// `{"seq":…,"kind":"merged","into":…,"row":{…}[,"text":…]}`
    public func appendMerged(seq: Int, into survivor: Int, fields: PackedFields, text: [UInt8]?, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"seq\":\(seq),\"kind\":\"merged\",\"into\":\(survivor),\"row\":".utf8)
        appendValues(fields, to: &out)
        appendText(text, to: &out)
    }

    /// `{"seq":…,"kind":"carried","disposition":{…},"row":{…}}`: a row this segment set aside (or was handed as set
    /// aside), with its values as they were then, for a later segment whose stage sees every row (decay with a store).
    /// The disposition is `{"rejected":REASON,"stage":…,"detail":…[,"raw":…]}` (`raw` for a row the input's reader
    /// refused) or `{"merged_into":LINE}`; `row` comes last, so ``EnvelopeReader`` takes its bytes as they are.
    public func appendCarried(seq: Int, disposition: Disposition, raw: String?, fields: PackedFields, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"seq\":\(seq),\"kind\":\"carried\",\"disposition\":".utf8)
        switch disposition {
        case .active:
            preconditionFailure("only a row set aside is carried")
        case .rejected(let rejection):
            out.append(contentsOf: "{\"rejected\":".utf8)
            Self.strings.appendJSONString(rejection.reason.code, to: &out)
            out.append(contentsOf: ",\"stage\":".utf8)
            Self.strings.appendJSONString(rejection.stage, to: &out)
            out.append(contentsOf: ",\"detail\":".utf8)
            Self.strings.appendJSONString(rejection.detail, to: &out)
            if let raw {
                out.append(contentsOf: ",\"raw\":".utf8)
                Self.strings.appendJSONString(raw, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .merged(let survivor):
            out.append(contentsOf: "{\"merged_into\":\(survivor)}".utf8)
        }
        out.append(contentsOf: ",\"row\":".utf8)
        appendValues(fields, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }

    /// The row's values as a JSON object, from its packed bytes (no string per value).
    private func appendValues(_ fields: PackedFields, to out: inout [UInt8]) {
        row.append(fields, to: &out)
        out.removeLast()  // the serializer's line break: the object continues
    }

    private func appendText(_ text: [UInt8]?, to out: inout [UInt8]) {
        if let text {
            out.append(contentsOf: ",\"text\":".utf8)
            text.withUnsafeBufferPointer { Self.strings.appendJSONString($0, to: &out) }
        }
        out.append(contentsOf: "}\n".utf8)
    }

    private static func appendStrings(_ strings: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, s) in strings.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            Self.strings.appendJSONString(s, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
