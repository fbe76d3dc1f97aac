import Foundation
import PipelineFileLoading
import PipelineSpec
import Testing

/// The README's pipeline-file tables are written by hand (their descriptions say more than the schema's
/// one-liners); this keeps them listing exactly the keys the decoder accepts.
@Suite struct PipelineFileDocsTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The first cell of each row of the table under `heading`, up to the next heading.
    static func tableKeys(under heading: String, in text: String) -> [String] {
        var keys: [String] = []
        var inSection = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") {
                if inSection { break }
                inSection = line == heading
                continue
            }
            guard inSection, line.hasPrefix("| `") else { continue }
            let cell = line.dropFirst(3).prefix { $0 != "`" }
            keys.append(String(cell))
        }
        return keys
    }

    @Test(arguments: [
        ("### Top-level keys", nil),
        ("### `input`", "input"),
        ("### `output`", "output"),
    ])
    func theReadmeTableListsEveryKeyThePipelineFileAccepts(heading: String, object: String?) throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        var schema = PipelineFile.schema
        if let object {
            guard case .object(let nested)? = schema.spec(named: object)?.type else {
                Issue.record("the pipeline file has no object '\(object)'")
                return
            }
            schema = nested
        }
        let documented = Self.tableKeys(under: heading, in: text)
        let accepted = schema.names + (object == nil ? ["stages"] : [])
        #expect(
            Set(documented) == Set(accepted),
            "README.md '\(heading)': documents \(documented), the decoder accepts \(accepted)")
        #expect(documented.count == Set(documented).count, "README.md '\(heading)' lists a key twice: \(documented)")
    }
}
