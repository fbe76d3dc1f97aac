import LeadRecords
@testable import NormalizeStage
import PipelineSpec
import Testing

/// normalize's row written as bytes straight into the added columns (`normalizeBytes`) must give exactly
/// what the value-by-value routine gives, on every field at once, hostile values included.
@Suite("normalize's byte row")
struct RowBytesNormalizationTests {
    static let fields: [CanonicalField] = NormalizeStage.fields

    /// Values per field, shaped like CRM and Excel exports: clean ASCII, stray white space, non-ASCII names and
    /// hosts, name-addrs, unparseable websites, phones without a country, empty values.
    static let values: [[String]] = [
        ["ann@acme.com", "Ann", "Lee", "Ann Lee", "CEO", "Acme Inc", "https://www.acme.com", "", "+1 415 555 0134", "US", "Boston"],
        ["  ANN@Sales.Acme.CO.UK ", "ANN", "o'brien", "", " Head  of\tSales ", "The Acme Company Ltd", "HTTP://WWW.Acme.co.uk/?utm_source=x#top",
         "", "020 7946 0958", "United Kingdom", "  London "],
        ["Jane Doe <Jane@X.com>", "élodie", "MÜLLER", "JOSÉ DE LA CRUZ", "Directeur Général", "Müller GmbH & Co. KG", "bücher.de", "",
         "030 1234567", "Deutschland", "München"],
        ["mailto:<Bob@Gmail.com>", "mary-jane", "mcdonald", "ludwig van beethoven", "", "AT&T", "acme,com.io", "shop.globex.com",
         "4155550134", "", ""],
        ["", "", "", "", "", "", "", "", "", "", ""],
        ["bob@192.168.1.1", "a\u{0B}b", "x\u{00A0}y", "Zoë\u{0085}Lee", "\u{00A0}", "Jose\u{301}", "a b.com", "https://globex.io",
         "+44 (0)20 7946 0958", "Atlantis", "Göteborg "],
        ["ann@shop.acme.co.uk", "DeShawn", "van der Berg", "mc", "VP", "3M Co", "https://user:pw@acme.com:8443/x/", "", "555-0134 call me",
         "usa", "東京"],
        ["x@y", "İSTANBUL", "ǄEMAL", "ʻOKINA", "t\u{200B}itle", "Inc", "//cdn.acme.io/x", "co.uk", "12345", "U.S.A.", "a\tb"],
        ["carol@mail.example.jp", "o'NEIL", "smith-JONES", "anne-marie o'neil", "cfo", String(repeating: "Acme ", count: 40),
         "http://x.city.kawasaki.jp", "", "+81 343 356 2046", "JP", "Tokyo"],
        ["ÄNN@X.COM", "ann", "lee", "", "", "  ", "   ", "", "   ", "  ", "  "],
        ["<ann@x.com>", "ANN  LEE", "", "", "", "Globex S.A.", "https://acme.com:", "", "415 555 0134", "US", ""],
        ["d@e.f.", "\t", "\n", "\r\n", "x\r\ny", "Initech Pty Ltd", "HtTpS://A.B.C.co.uk//", "www.ck", "+", "IND", "São  Paulo"],
    ]

    func bound(_ options: [String: OptionValue] = [:]) throws -> (NormalizeStage.Bound, width: Int) {
        var schema = Schema(inputColumns: Self.fields.map(\.name))
        var bindings = ColumnBindings()
        for (i, field) in Self.fields.enumerated() { bindings[field] = ColumnIndex(i) }
        let stage = try NormalizeStage(options: OptionValues(schema: NormalizeStage.descriptor.options, given: options),
                                       context: StageContext(pipelineFile: "t.yml"))
        guard case .streaming(let bound) = try stage.bound(schema: &schema, columns: bindings) else {
            Issue.record("normalize binds as a streaming stage")
            throw OptionProblem(option: nil, "not streaming")
        }
        return (try #require(bound as? NormalizeStage.Bound), schema.count)
    }

    @Test(arguments: [[:], ["name_casing": .bool(false)], ["email_domain_fallback": .bool(false)], ["default_country": .string("GB")]]
          as [[String: OptionValue]])
    func writesEveryAddedColumnAsTheValueByValueRoutineDoes(options: [String: OptionValue]) throws {
        let (bound, width) = try bound(options)
        let run = try #require(bound.outputRun)
        let row = NormalizeStage.RowContext(stage: bound.stage, input: bound.input, output: bound.output)
        let values = ColumnValues()
        for rowValues in Self.values {
            var byValue = Record(values: rowValues + Array(repeating: "", count: width - rowValues.count), line: 2)
            var byBytes = byValue
            var added = NormalizeStage.AddedValues(run: run)
            bound.stage.normalize(&byValue, row, &added)
            bound.stage.normalizeBytes(&byBytes, row, values, run: run)
            #expect(byBytes.values == byValue.values, "\(rowValues)")
        }
    }
}
