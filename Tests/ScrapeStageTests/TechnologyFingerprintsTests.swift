import Foundation
import PipelineSpec
@testable import ScrapeStage
import TestSupport
import Testing

@Suite("Technology fingerprints in the Wappalyzer format")
struct TechnologyFingerprintsTests {
    static let userFile = #"""
    {
      "AnvilPress": {
        "cats": [1],
        "meta": {"generator": "^WordPress ([\\d.]+)\\;version:\\1\\;confidence:60"},
        "html": ["Anvils that last\\;confidence:40"],
        "implies": ["AnvilRuntime"],
        "js": {"AnvilPress.version": "", "anvil": ""},
        "dom": ["#anvil"],
        "css": ["\\.anvil"]
      },
      "AnvilRuntime": {"cats": [2]},
      "CookieTech": {"cookies": {"hubspotutk": ""}},
      "NeverSeen": {"xhr": ["api\\.never\\.test"], "scriptSrc": ["never\\.test/x\\.js"]},
      "Broken": {"html": ["([unclosed"]}
    }
    """#

    @Test func usesAUserSuppliedFileAndCountsWhatItCannotEvaluate() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("technologies.json", Self.userFile)
            let server = try FixtureSiteServer()
            let run = try ScrapeRun(websites: ["acme.test"], options: server.options([
                "fingerprints": .string(path), "max_pages": .integer(1),
            ]))
            #expect(run.value("web_technologies", for: "acme.test") == "AnvilPress/6.4.2;AnvilRuntime;CookieTech")
            guard case .object(let counts)? = run.summary("fingerprints") else {
                Issue.record("no fingerprints summary")
                return
            }
            let table = Dictionary(counts.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
            #expect(table["technologies"] == .integer(5))
            #expect(table["skipped_js_dom_xhr_patterns"] == .integer(4))
            #expect(table["skipped_other_patterns"] == .integer(1))
            #expect(table["invalid_patterns"] == .integer(1))
        }
    }

    @Test func leavesOutTechnologiesBelowTheConfidenceThreshold() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("t.json", #"{"technologies": {"Faint": {"html": ["Anvils\\;confidence:30"]}, "Clear": {"html": ["Anvils"]}}}"#)
            let server = try FixtureSiteServer()
            let run = try ScrapeRun(websites: ["acme.test"], options: server.options([
                "fingerprints": .string(path), "max_pages": .integer(1), "min_tech_confidence": .integer(50),
            ]))
            #expect(run.value("web_technologies", for: "acme.test") == "Clear")
        }
    }

    @Test func loadsTheBundledFile() throws {
        let bundled = try TechnologyFingerprints.bundled()
        #expect(bundled.counts.technologies >= 50)
        #expect(bundled.counts.invalidPatterns == 0)
    }

    @Test(arguments: [
        (#"^WordPress ?([\d.]+)?\;version:\1"#, "WordPress 6.4.2", "6.4.2"),
        (#"^WordPress ?([\d.]+)?\;version:\1"#, "WordPress", ""),
        (#"jquery[.-]([\d.]+)(?:\.min)?\.js\;version:\1"#, "/js/jquery-3.6.0.min.js", "3.6.0"),
        (#"Next\.js ?([\d.]+)?\;version:\1?v\1:unknown"#, "Next.js 14.1", "v14.1"),
        (#"Next\.js ?([\d.]+)?\;version:\1?v\1:unknown"#, "Next.js", "unknown"),
    ])
    func expandsVersionTags(pattern: String, text: String, version: String) throws {
        let compiled = try #require(FingerprintPattern(pattern))
        #expect(compiled.match(text) == version)
    }

    @Test func readsTheConfidenceTag() throws {
        let compiled = try #require(FingerprintPattern(#"x\;confidence:25"#))
        #expect(compiled.confidence == 25)
        #expect(compiled.match("y") == nil)
    }

    static let familyFile = #"""
    {
      "AnvilSuite": {"html": ["Anvils that last"]},
      "AnvilSuite Pro": {"html": ["<title>About Acme"], "excludes": ["AnvilSuite"], "implies": ["AnvilCloud", "AnvilMaybe\\;confidence:20"]},
      "AnvilCloud": {"implies": "AnvilRuntime"},
      "AnvilRuntime": {},
      "AnvilMaybe": {}
    }
    """#

    @Test func appliesExcludesAndImpliesAcrossTheSitesPages() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("technologies.json", Self.familyFile)
            let server = try FixtureSiteServer()
            // AnvilSuite shows on the home page, AnvilSuite Pro (which excludes it) on the about page.
            let run = try ScrapeRun(websites: ["acme.test"], options: server.options(["fingerprints": .string(path)]))
            #expect(run.value("web_technologies", for: "acme.test") == "AnvilCloud;AnvilRuntime;AnvilSuite Pro")
            let json = run.value("web_sources", for: "acme.test")
            let sources = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let technologies = try #require(sources["web_technologies"] as? [[String: String]])
            #expect(technologies.first { $0["value"] == "AnvilRuntime" }?["url"] == "http://acme.test/about-us/")
        }
    }
}
