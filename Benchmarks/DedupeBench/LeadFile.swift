import Foundation
import LeadRecords
import LeadSampleGenerator

/// Reads a `lead-sample` CSV and its truth file (`Lead ID,entity_id`), so `make bench` can reuse the list it generated.
///
/// A small RFC 4180 reader (quoted fields, doubled quotes); rows whose field count is not the header's
/// (the generator's deliberately malformed rows) are left out, as the pipeline's reader would reject them.
enum LeadFile {
    static func load(leads: String, truth: String) throws -> GeneratedLeads {
        let truthText = try String(contentsOfFile: truth, encoding: .utf8)
        var entityOf: [String: String] = [:]
        for line in truthText.split(separator: "\n").dropFirst() {
            let cells = fields(of: Substring(line))
            if cells.count == 2 { entityOf[cells[0]] = cells[1] }
        }
        let text = try String(contentsOfFile: leads, encoding: .utf8)
        var records: [Record] = [], entities: [String] = []
        var lineNumber = 1
        var width = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { lineNumber += 1 }
            if lineNumber == 1 { width = fields(of: line).count; continue }
            if line.isEmpty { continue }
            let cells = fields(of: line)
            guard cells.count == width, let entity = entityOf[cells[0]] else { continue }
            records.append(Record(values: GeneratedLeads.padded(cells, width: GeneratedLeads.Generator.leadSample.outputWidth), line: lineNumber))
            entities.append(entity)
        }
        return GeneratedLeads(.leadSample, records: records, truth: entities)
    }

    static func fields(of line: Substring) -> [String] {
        var out: [String] = [], field = "", quoted = false, i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex && line[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(field); field = "" } else if c != "\r" { field.append(c) }
            i = line.index(after: i)
        }
        out.append(field)
        return out
    }
}
