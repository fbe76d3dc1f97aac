import FirmographicMergeStage
import Foundation
import LeadHygiene
import LeadRecords
import PipelineFileLoading
import PipelineSpec

/// The company-name join's precision and recall on ``CompanyNameVariantCase``: how often a lead
/// without a domain gets its own company's data, and how often another company's.
struct NameJoinFigures {
    let leads: Int
    let seed: UInt64
    /// Print every wrong and missed join to stderr (`--name-join-errors`), to read what went wrong.
    var printErrors = false

    func run(in dir: URL, measure: (String, Int, () -> Void) -> Void) throws {
        let nameCase = CompanyNameVariantCase(leads: leads, seed: seed)
        var paths: [String] = []
        for (s, rows) in nameCase.sources.enumerated() {
            var text = "company_name,domain,industry,linkedin_url\n"
            for row in rows {
                let fields = [row.name, row.domain, "Industry \(row.company % 40)", "https://www.linkedin.com/company/c\(row.company)"]
                text += fields.map(Self.csvField).joined(separator: ",") + "\n"
            }
            let path = dir.appendingPathComponent("names-\(s).csv").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let pipeline = try PipelineFileLoader(stages: StageRegistry.descriptors).decode("""
            input: { path: leads.csv }
            stages:
              - firmographic_merge:
                  sources:
                    - { name: registry, path: \(paths[0]), as_of: 2026-10-01 }
                    - { name: directory, path: \(paths[1]), as_of: 2026-11-01 }
            """, file: "bench.yml")
        let stage = try FirmographicMergeStage(options: pipeline.stages[0].options, context: StageContext(pipelineFile: "bench.yml"))
        var schema = Schema(inputColumns: ["Company", "Email", "Website"])
        var columns = ColumnBindings()
        columns[.company] = schema.index(of: "Company")
        columns[.email] = schema.index(of: "Email")
        columns[.website] = schema.index(of: "Website")
        let bound = try stage.bound(schema: &schema, columns: columns)
        var records = nameCase.leads.enumerated().map { i, lead in
            Record(values: [lead.name, "", ""] + Array(repeating: "", count: schema.count - 3), line: i + 2)
        }
        guard case .streaming(let merger) = bound else { throw OptionProblem("firmographic_merge streams") }
        var figures: [(String, ReportValue)] = []
        measure("firmographic_merge name join, held-out names (1 job)", records.count) { figures = merger.processReporting(&records) }

        let linkedin = schema.index(of: "firmo_linkedin_url")!
        var truthNames: [Int: [String]] = [:]
        for rows in nameCase.sources { for row in rows { truthNames[row.company, default: []].append(row.name) } }
        let match = schema.index(of: "firmo_match")!
        var joined = 0, right = 0, wrong = 0, ambiguous = 0
        let belonging = nameCase.leads.filter { $0.company != nil }.count
        for (lead, record) in zip(nameCase.leads, records) {
            if record[match] == "ambiguous" { ambiguous += 1 }
            let page = record[linkedin]
            guard !page.isEmpty else { continue }
            joined += 1
            if let company = lead.company, page.hasSuffix("/c\(company)") { right += 1 } else { wrong += 1 }
        }
        if printErrors {
            for (lead, record) in zip(nameCase.leads, records) {
                let page = record[linkedin]
                let truth = lead.company.map { "c\($0) " + (truthNames[$0]?.joined(separator: " | ") ?? "?") } ?? "-"
                if let company = lead.company, page.hasSuffix("/c\(company)") { continue }
                if page.isEmpty && lead.company == nil { continue }
                let joinedCompany = page.split(separator: "/").last.flatMap { Int($0.dropFirst()) }
                let joinedRow = page.isEmpty ? "-" : "c\(joinedCompany ?? -1) \(joinedCompany.flatMap { truthNames[$0]?.joined(separator: " | ") } ?? "?") [\(record[schema.index(of: "firmo_match_score")!])]"
                let kind = page.isEmpty ? (record[match] == "ambiguous" ? "AMBIGUOUS" : "MISSED") : "WRONG"
                FileHandle.standardError.write(Data("\(kind)\t\(lead.name)\tjoined: \(joinedRow)\ttruth: \(truth)\n".utf8))
            }
        }
        let precision = joined == 0 ? 1 : Double(right) / Double(joined)
        let recall = belonging == 0 ? 1 : Double(right) / Double(belonging)
        let references = nameCase.sources.map(\.count).map(String.init).joined(separator: "+")
        let line = String(format: "firmographic_merge name join, held-out names\tleads=%d\treference_rows=%@\tbelonging=%d\tjoined=%d\twrong=%d\tambiguous=%d\tprecision=%.4f\trecall=%.4f\n",
                          records.count, references, belonging, joined, wrong, ambiguous, precision, recall)
        FileHandle.standardOutput.write(Data(line.utf8))
        // Where the accepted scores fall, as the report shows them to a user.
        if let nameMatch = figures.first(where: { $0.0 == "name_match" })?.1 {
            func oneLine(_ value: ReportValue?) -> String {
                (value?.json() ?? "?").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            }
            let figures = "  name_match kinds \(oneLine(nameMatch["kinds"])), scores \(oneLine(nameMatch["scores"]))\n"
            FileHandle.standardError.write(Data(figures.utf8))
        }
    }

    static func csvField(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}
