import Foundation
import Testing

/// An option's default is written once, in its stage's schema: code reads it with `defaulted…`/`choice`, so a
/// second copy in an initializer (`options.integer("port") ?? 53`) cannot drift from what `stages` and the docs show.
@Suite("Option defaults are written once")
struct OptionDefaultsTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources").standardized

    @Test func noInitializerRepeatsASchemaDefault() throws {
        let pattern = try NSRegularExpression(pattern: #"\.(number|integer|string)\("[a-z_]+"\) \?\? "#)
        var copies: [String] = []
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(line)
                if pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
                    copies.append("\(file.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(!files.isEmpty)
        #expect(copies.isEmpty, "defaults written a second time:\n\(copies.joined(separator: "\n"))")
    }
}
