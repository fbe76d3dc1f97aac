import Foundation
import ReportHTML

/// The committed fixtures (a real run's report.json and the page it renders to) and reports built in code.
enum ReportFixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name)
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    /// The fixture report as a mutable object, to put hostile values in.
    static func weeklyReport() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data("weekly-report.json")) as! [String: Any]
    }

    /// A report with a million rows' counts and every list at its largest: every reason code with five
    /// samples of long details, five clusters of five rows, three explained pairs, twelve runs of history.
    static func millionRowReport() throws -> [String: Any] {
        var report = try weeklyReport()
        let long = String(repeating: "Ünïcødé & <long> detail ", count: 40)
        var reasons: [String: Any] = [:]
        var samples: [String: Any] = [:]
        for code in 0..<60 {
            reasons["reason_code_\(code)"] = 1_000 + code * 977
            samples["reason_code_\(code)"] = (0..<5).map { ["line": 900_000 + $0, "stage": "email_check", "detail": long] }
        }
        report["rows_in"] = 1_000_000
        report["rows_out"] = 941_000
        report["rows_rejected"] = 58_652
        report["rows_merged"] = 348
        report["reject_reasons"] = reasons
        report["reject_samples"] = samples
        report["notes"] = (0..<20).map { "note \($0): \(long)" }
        report["history"] = (0..<12).map { week in
            [
                "started_at": "2026-09-\(10 + week)T03:00:00Z", "rows_in": 1_000_000 + week * 1_000,
                "rows_out": 941_000 + week * 900,
                "rows_rejected": 58_652 - week * 10, "rows_merged": 348 + week,
            ]
        }
        var stages = report["stages"] as! [[String: Any]]
        for i in stages.indices where stages[i]["name"] as? String == "dedupe" {
            var summary = stages[i]["summary"] as! [String: Any]
            summary["largest_clusters"] = (0..<5).map { c in
                [
                    "entity_id": "ent-\(c)-\(long)", "size": 400 - c,
                    "rows": (0..<5).map { ["line": 10_000 * c + $0, "name": long, "email": long, "company": long] },
                ]
            }
            summary["explained_pairs"] = (0..<3).map { p in
                [
                    "lines": [p, p + 1], "prior_weight": -12.1, "total_weight": 20.5, "match_probability": 0.9999,
                    "fields": (0..<12).map { ["field": "field_\($0)_\(long)", "level": "exact", "weight": Double($0) - 4.5] },
                ]
            }
            stages[i]["summary"] = summary
        }
        report["stages"] = stages
        return report
    }
}
