import Foundation
import ReportHTML
import Testing

@Suite struct ReportPageTests {
    @Test func aFixedReportRendersByteIdenticallyToTheCommittedPage() throws {
        let page = try ReportPage(json: ReportFixtures.data("weekly-report.json")).html
        let golden = try String(decoding: ReportFixtures.data("weekly-report.html"), as: UTF8.self)
        #expect(page == golden)
    }

    @Test func thePageNamesNoURLAndRunsNoScript() throws {
        let page = try ReportPage(json: ReportFixtures.data("weekly-report.json")).html.lowercased()
        for forbidden in ["http:", "https:", "<script", "src=", "url(", "xmlns", "@import", "<link", "//"] {
            #expect(!page.contains(forbidden), "the page contains \(forbidden)")
        }
    }

    @Test func thePageHasEverySectionTheRunHasDataFor() throws {
        let page = try ReportPage(json: ReportFixtures.data("weekly-report.json")).html
        for section in ["email", "rejects", "duplicates", "since-last-run", "enrichment", "timings"] {
            #expect(page.contains("<section id=\"\(section)\">"), "no section \(section)")
        }
        #expect(page.contains("<svg class=\"spark\""))
        #expect(page.contains("<svg class=\"chart waterfall\""))
        #expect(page.contains("@media print"))
    }

    @Test(arguments: ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg onload=alert(1)>"])
    func valuesFromTheListRenderAsText(hostile: String) throws {
        var report = try ReportFixtures.weeklyReport()
        report["pipeline"] = hostile
        report["notes"] = [hostile]
        report["reject_samples"] = ["email_invalid_syntax": [["line": 7, "stage": "email_check", "detail": hostile]]]
        var stages = report["stages"] as! [[String: Any]]
        for i in stages.indices where stages[i]["name"] as? String == "dedupe" {
            var summary = stages[i]["summary"] as! [String: Any]
            summary["largest_clusters"] = [
                [
                    "entity_id": hostile, "size": 2,
                    "rows": [["line": 3, "name": hostile, "email": hostile, "company": hostile]],
                ]
            ]
            stages[i]["summary"] = summary
        }
        for i in stages.indices where stages[i]["name"] as? String == "email_check" {
            var summary = stages[i]["summary"] as! [String: Any]
            summary["email_examples"] = ["risky": [["line": 9, "email": hostile, "reason": hostile, "action": "flag"]]]
            stages[i]["summary"] = summary
        }
        report["stages"] = stages
        let page = ReportPage(report: report).html
        #expect(!page.contains(hostile))
        #expect(!page.contains("<script"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<svg onload"))
        #expect(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                || page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
                || page.contains("&#39;&gt;&lt;svg onload=alert(1)&gt;"))
    }

    @Test func aMillionRowReportWithEveryListFullStaysUnder300KB() throws {
        let page = ReportPage(report: try ReportFixtures.millionRowReport()).html
        #expect(page.utf8.count < 300 * 1024, "the page is \(page.utf8.count) bytes")
        #expect(page.contains("1,000,000"))
    }

    @Test func aReportFromBeforeSchemaVersionsStillRenders() throws {
        let old: [String: Any] = [
            "pipeline": "weekly", "status": "ok", "rows_in": 10, "rows_out": 9, "rows_rejected": 1, "rows_merged": 0,
            "reject_reasons": ["email_missing": 1],
            "stages": [
                ["name": "normalize", "rows_in": 10, "rows_out": 10, "rows_rejected": 0, "rows_merged": 0, "seconds": 0.01]
            ],
        ]
        let page = ReportPage(report: old).html
        #expect(page.contains("<section id=\"rejects\">"))
        #expect(page.contains("<section id=\"timings\">"))
        #expect(!page.contains("<section id=\"duplicates\">"))
        #expect(!page.contains("<section id=\"email\">"))
        #expect(page.contains("report schema 0"))
    }

    @Test func theRunsHeadlineEmailBucketsFillRatesAndChangesAreOnThePage() throws {
        let report = try ReportFixtures.weeklyReport()
        let page = ReportPage(report: report).html
        let headline = report["headline"] as! [String: Any]
        for (card, key) in [("usable", "usable"), ("flagged", "flagged"), ("mailable", "mailable")] {
            let count = headline[key] as! Int
            #expect(page.contains("<b>\(count.formatted(.number.locale(Locale(identifier: "en_US"))))</b><span>\(card) · "))
        }
        // Risky split by what made it risky, with the first rows of each bucket, kept ones included.
        #expect(page.contains("<h3>Risky, by reason</h3>"))
        #expect(page.contains("<td>risky</td><td class=\"n\">"))
        #expect(page.contains("<td>flag</td>"))
        // Fill before and after, and what changed since the last run.
        #expect(page.contains("Fill rate per field, before the stage and after"))
        let since = report["since_last_run"] as! [String: Any]
        #expect(page.contains("<tr><th>changed title</th><td>\(since["changed_title"] as! Int)</td></tr>"))
        #expect(page.contains("<tr><th>changed company</th><td>\(since["changed_company"] as! Int)</td></tr>"))
    }

    @Test func aFailedRunSaysFailedAndWhy() throws {
        var report = try ReportFixtures.weeklyReport()
        report["status"] = "failed"
        report["failure"] = "fail_if crossed: rejected_ratio = 0.2 > 0.05; the output was not published"
        let page = ReportPage(report: report).html
        #expect(page.contains("verdict failed\">FAILED"))
        #expect(page.contains("fail_if crossed"))
    }

    @Test func textThatIsNotAReportIsRefused() {
        #expect(throws: ReportPageError.self) { try ReportPage(json: Data("[1, 2]".utf8)) }
        #expect(throws: ReportPageError.self) { try ReportPage(json: Data("not json".utf8)) }
    }
}
