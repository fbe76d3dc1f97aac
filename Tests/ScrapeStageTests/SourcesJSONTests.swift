import Foundation
@testable import ScrapeStage
import Testing

@Suite("web_sources JSON")
struct SourcesJSONTests {
    @Test func writesJSONThatReadsBackToTheSameValues() throws {
        let hostile = "Acme \"Anvils\" \\ Co\n\t\u{01}é😀 https://acme.test/a/b"
        let value: [String: Any] = [
            "web_company_name": ["value": hostile, "url": "https://acme.test/", "fetched_at": "2026-01-01T00:00:00Z"],
            "web_emails": [["value": "a@acme.test", "url": "u"], ["value": "b@acme.test", "url": "v"]],
        ]
        let text = JSONText.encode(value)
        #expect(text.hasPrefix("{\"web_company_name\":{\"fetched_at\""))   // keys sorted
        #expect(text.contains("https://acme.test/a/b"))                     // slashes not escaped
        let back = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((back["web_company_name"] as? [String: String])?["value"] == hostile)
        #expect((back["web_emails"] as? [[String: String]])?.map { $0["value"] } == ["a@acme.test", "b@acme.test"])
    }
}
