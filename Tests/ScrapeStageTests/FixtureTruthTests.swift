import Foundation
import PipelineSpec
import ScrapeStage
import Testing

/// The fixture sites against what a careful person would copy from them (`Fixtures/truth.json`),
/// counted per field as right, wrong (a value that is not the site's) and missed.
@Suite("Fixture sites against their known truth")
struct FixtureTruthTests {
    static let truthFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/truth.json")
    static let singleFields = ["web_status", "web_redirect_domain", "web_company_name", "web_legal_name", "web_street",
                               "web_city", "web_region", "web_postcode", "web_country", "web_employees", "web_founded",
                               "web_linkedin", "web_twitter", "web_facebook", "web_github", "web_youtube", "web_instagram"]
    static let listFields = ["web_emails", "web_phones"]

    struct Tally: CustomStringConvertible {
        var right = 0, wrong = 0, missed = 0
        var description: String { "right \(right), wrong \(wrong), missed \(missed)" }
    }

    @Test func findsWhatACarefulPersonWouldCopyAndNothingElse() throws {
        var truth = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.truthFile)) as? [String: [String: Any]])
        // Values we know the stage misses, each with why; anything else missed or wrong fails the test.
        let knownMisses = Set((truth.removeValue(forKey: "_known_misses") ?? [:]).keys)
        let server = try FixtureSiteServer()
        let sites = truth.keys.sorted()
        let run = try ScrapeRun(websites: sites, options: server.options(["timeout_ms": .integer(5_000)]))
        var tallies: [String: Tally] = [:]
        var problems: [String] = []
        for site in sites {
            let expected = truth[site] ?? [:]
            for field in Self.singleFields {
                let want = expected[field] as? String ?? ""
                let got = run.value(field, for: site)
                if want.isEmpty && got.isEmpty { continue }
                if got == want {
                    tallies[field, default: Tally()].right += 1
                } else if got.isEmpty {
                    tallies[field, default: Tally()].missed += 1
                    problems.append("\(site) \(field): missed \(want)")
                } else {
                    tallies[field, default: Tally()].wrong += 1
                    problems.append("\(site) \(field): \(got) (want \(want.isEmpty ? "nothing" : want))")
                }
            }
            for field in Self.listFields {
                // Phones compare by digits, emails as written (lower-case).
                let key: (String) -> String = field == "web_phones" ? { $0.filter(\.isNumber) } : { $0 }
                let want = Set((expected[field] as? [String] ?? []).map(key))
                let got = Set(run.value(field, for: site).split(separator: ";").map { key(String($0)) })
                tallies[field, default: Tally()].right += want.intersection(got).count
                tallies[field, default: Tally()].missed += want.subtracting(got).count
                tallies[field, default: Tally()].wrong += got.subtracting(want).count
                for value in want.subtracting(got) { problems.append("\(site) \(field): missed \(value)") }
                for value in got.subtracting(want) { problems.append("\(site) \(field): \(value) is not the site's") }
            }
        }
        for field in Self.singleFields + Self.listFields {
            print("fixture truth: \(field): \(tallies[field] ?? Tally())")
        }
        let unexpected = problems.filter { !knownMisses.contains($0) }
        #expect(unexpected.isEmpty, "\(unexpected.joined(separator: "\n"))")
        #expect(Set(problems) == knownMisses, "a known miss is now found: update _known_misses in truth.json")
    }
}
