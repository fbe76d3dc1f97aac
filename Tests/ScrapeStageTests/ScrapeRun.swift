import Foundation
import LeadRecords
import PipelineSpec
import ScrapeStage

/// Runs the scrape stage over one-column lead lists (a `Website` column) and reads its output.
struct ScrapeRun {
    var schema = Schema(inputColumns: ["Website"])
    var records: [Record]
    /// The stage's report figures.
    var figures: [(String, ReportValue)]

    init(websites: [String], options: [String: OptionValue], cache: any PageCache = InMemoryPageCache(),
         now: Date = Date()) throws {
        let values = OptionValues(schema: ScrapeStage.descriptor.options, given: options)
        let stage = try ScrapeStage(options: values, context: StageContext(pipelineFile: "t.yml", now: now), cache: cache)
        records = websites.enumerated().map { Record(values: [$0.element], line: $0.offset + 2) }
        figures = try stage.bound(schema: &schema, columns: ColumnBindings([.website: ColumnIndex(0)])).run(&records)
    }

    /// A `web_` column of the row for `website`.
    func value(_ column: String, for website: String) -> String {
        guard let row = records.first(where: { $0.values[0] == website }) else { return "<no row>" }
        return row[schema.index(of: column)]
    }

    /// A count from the stage's report section.
    func summary(_ key: String) -> ReportValue? {
        figures.first { $0.0 == key }?.1
    }
}
