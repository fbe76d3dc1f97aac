import Foundation

/// Technology fingerprints in the Wappalyzer/webappanalyzer JSON format, and the detector using them.
///
/// Supported keys: `url`, `headers`, `cookies`, `meta`, `scriptSrc` (and the older `script`),
/// `scripts` (inline script text), `html`, `implies`, `requires`, `excludes`, `cats`. Patterns that
/// need a JavaScript engine (`js`, `dom`, `xhr`) are skipped and counted, as are other keys we do
/// not evaluate (`css`, `dns`, `certIssuer`, `robots`, `text`, …).
package struct TechnologyFingerprints: Sendable {
    struct Technology: Sendable {
        var name: String
        var categories: [Int]
        var url: [FingerprintPattern] = []
        var html: [FingerprintPattern] = []
        var scriptSrc: [FingerprintPattern] = []
        var scripts: [FingerprintPattern] = []
        var headers: [(String, FingerprintPattern)] = []
        var cookies: [(String, FingerprintPattern)] = []
        var meta: [(String, FingerprintPattern)] = []
        var implies: [(String, Int)] = []
        var requires: [String] = []
        var excludes: [String] = []
    }

    /// What was loaded, for the run report.
    package struct LoadCounts: Sendable, Equatable {
        public var technologies = 0
        public var patterns = 0
        /// `js`, `dom` and `xhr` patterns, which need a browser.
        package var skippedJavaScript = 0
        /// Keys this detector does not evaluate.
        package var skippedOther = 0
        /// Regular expressions that did not compile.
        package var invalidPatterns = 0
    }

    let technologies: [Technology]
    /// The technologies by name (the first one listed wins), built once: `implies`, `requires` and
    /// `excludes` are looked up for every page and every site.
    let byName: [String: Technology]
    public let counts: LoadCounts

    /// Our own fingerprint file, `Resources/fingerprints.json`.
    public static func bundled() throws -> TechnologyFingerprints {
        guard let text = EmbeddedResources.text("fingerprints.json"),
              let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw FingerprintError("fingerprints.json is missing from the ScrapeStage embedded resources or is not a JSON object")
        }
        return try TechnologyFingerprints(json: json["technologies"] as? [String: Any] ?? json)
    }

    /// Loads a Wappalyzer-format file, or a directory of them (webappanalyzer's `src/technologies/`).
    public init(contentsOf path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FingerprintError("\(path) does not exist")
        }
        var files = [path]
        if isDirectory.boolValue {
            files = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
        }
        var merged: [String: Any] = [:]
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw FingerprintError("cannot read \(file)") }
            guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw FingerprintError("\(file) is not a JSON object")
            }
            // Either {"technologies": {...}} or the technologies map itself.
            let technologies = json["technologies"] as? [String: Any] ?? json
            merged.merge(technologies) { $1 }
        }
        try self.init(json: merged)
    }

    init(json: [String: Any]) throws {
        var counts = LoadCounts()
        var list: [Technology] = []
        for (name, value) in json.sorted(by: { $0.key < $1.key }) {
            guard let spec = value as? [String: Any] else { continue }
            var tech = Technology(name: name, categories: spec["cats"] as? [Int] ?? [])
            func patterns(_ key: String) -> [FingerprintPattern] {
                let raw: [String] = (spec[key] as? String).map { [$0] } ?? (spec[key] as? [Any])?.compactMap { $0 as? String } ?? []
                return raw.compactMap { text in
                    counts.patterns += 1
                    guard let pattern = FingerprintPattern(text) else { counts.invalidPatterns += 1; return nil }
                    return pattern
                }
            }
            func named(_ key: String) -> [(String, FingerprintPattern)] {
                guard let map = spec[key] as? [String: Any] else { return [] }
                return map.sorted { $0.key < $1.key }.flatMap { entry -> [(String, FingerprintPattern)] in
                    let raw: [String] = (entry.value as? String).map { [$0] } ?? (entry.value as? [Any])?.compactMap { $0 as? String } ?? []
                    return raw.compactMap { text in
                        counts.patterns += 1
                        guard let pattern = FingerprintPattern(text) else { counts.invalidPatterns += 1; return nil }
                        return (entry.key.lowercased(), pattern)
                    }
                }
            }
            tech.url = patterns("url")
            tech.html = patterns("html")
            tech.scriptSrc = patterns("scriptSrc") + patterns("script")
            tech.scripts = patterns("scripts")
            tech.headers = named("headers")
            tech.cookies = named("cookies")
            tech.meta = named("meta")
            let strings: (String) -> [String] = { key in
                (spec[key] as? String).map { [$0] } ?? (spec[key] as? [Any])?.compactMap { $0 as? String } ?? []
            }
            tech.implies = strings("implies").map { text in
                let parts = text.components(separatedBy: "\\;")
                let confidence = parts.dropFirst().first { $0.hasPrefix("confidence:") }
                    .flatMap { Int($0.dropFirst("confidence:".count)) } ?? 100
                return (parts[0], confidence)
            }
            tech.requires = strings("requires")
            tech.excludes = strings("excludes")
            for key in ["js", "dom", "xhr"] { counts.skippedJavaScript += Self.patternCount(spec[key]) }
            for key in ["css", "dns", "certIssuer", "robots", "text", "probe", "scriptSrcHash"] {
                counts.skippedOther += Self.patternCount(spec[key])
            }
            counts.technologies += 1
            list.append(tech)
        }
        technologies = list
        byName = Dictionary(list.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.counts = counts
    }

    private static func patternCount(_ value: Any?) -> Int {
        switch value {
        case is String: 1
        case let array as [Any]: array.count
        case let map as [String: Any]: map.count
        default: 0
        }
    }

    /// The technologies a page shows, with version (possibly empty) and confidence (capped at 100).
    func detect(_ page: PageEvidence) -> [(name: String, version: String, confidence: Int)] {
        var found: [String: (version: String, confidence: Int)] = [:]
        func hit(_ name: String, _ version: String, _ confidence: Int) {
            var entry = found[name] ?? ("", 0)
            entry.confidence = min(100, entry.confidence + confidence)
            if entry.version.isEmpty || version.count > entry.version.count { if !version.isEmpty { entry.version = version } }
            found[name] = entry
        }
        let html = NSString(string: page.html)
        for tech in technologies {
            for p in tech.url { if let v = p.match(page.url) { hit(tech.name, v, p.confidence) } }
            for p in tech.html { if let v = p.match(html) { hit(tech.name, v, p.confidence) } }
            for p in tech.scriptSrc {
                for src in page.scriptSources { if let v = p.match(src) { hit(tech.name, v, p.confidence); break } }
            }
            for p in tech.scripts {
                for script in page.inlineScripts { if let v = p.match(script) { hit(tech.name, v, p.confidence); break } }
            }
            for (name, p) in tech.headers {
                for value in page.headers[name] ?? [] { if let v = p.match(value) { hit(tech.name, v, p.confidence); break } }
            }
            for (name, p) in tech.cookies {
                if let value = page.cookies[name], let v = p.match(value) { hit(tech.name, v, p.confidence) }
            }
            for (name, p) in tech.meta {
                for value in page.meta[name] ?? [] { if let v = p.match(value) { hit(tech.name, v, p.confidence); break } }
            }
        }
        // implies, applied until nothing new appears (chains such as WooCommerce → WordPress → PHP).
        var changed = true
        while changed {
            changed = false
            for (name, entry) in found {
                for (implied, confidence) in byName[name]?.implies ?? [] where found[implied] == nil {
                    found[implied] = ("", min(entry.confidence, confidence))
                    changed = true
                }
            }
        }
        for (name, _) in found {
            guard let tech = byName[name] else { continue }
            if !tech.requires.isEmpty, !tech.requires.contains(where: { found[$0] != nil }) { found[name] = nil }
        }
        for (name, _) in found { for excluded in byName[name]?.excludes ?? [] { found[excluded] = nil } }
        return found.map { ($0.key, $0.value.version, $0.value.confidence) }.sorted { $0.name < $1.name }
    }
}

extension TechnologyFingerprints {
    /// A site's technologies merged over its pages, with `implies` and `excludes` applied to the whole
    /// site as the Wappalyzer format defines them: a page showing "Salesforce Pardot" (which excludes
    /// "Salesforce") removes the "Salesforce" another page showed, and an implied technology is added once,
    /// sourced like the one implying it. Implied technologies below `minimumConfidence` are left out.
    func resolveSite(_ technologies: [SourcedValue], minimumConfidence: Int) -> [SourcedValue] {
        func name(_ value: SourcedValue) -> String { value.value.split(separator: "/").first.map(String.init) ?? value.value }
        var result = technologies
        var present = Set(result.map(name))
        var index = 0
        while index < result.count {
            let source = result[index]
            for (implied, confidence) in byName[name(source)]?.implies ?? []
            where confidence >= minimumConfidence && !present.contains(implied) {
                present.insert(implied)
                result.append(SourcedValue(implied, url: source.url, fetchedAt: source.fetchedAt))
            }
            index += 1
        }
        let excluded = Set(present.flatMap { byName[$0]?.excludes ?? [] })
        return result.filter { !excluded.contains(name($0)) }
    }
}

/// What a page offers the fingerprints.
struct PageEvidence {
    var url: String
    var html: String
    var scriptSources: [String]
    var inlineScripts: [String]
    /// Lower-case header name → values.
    var headers: [String: [String]]
    /// Cookie name (lower-case) → value.
    var cookies: [String: String]
    /// Lower-case meta `name`/`property` → contents.
    var meta: [String: [String]]
}

/// A fingerprint file that cannot be used.
package struct FingerprintError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
