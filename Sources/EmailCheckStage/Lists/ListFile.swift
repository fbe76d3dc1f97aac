import Foundation

/// Reading the stage's list files: one entry per line, `#` comments, blank lines ignored.
enum ListFile {
    static func entries(in text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
    }

    /// The text of a file in the bundled `Resources` folder; a missing file is a packaging bug.
    static func bundledText(_ name: String) -> String {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: parts[0], withExtension: parts.count > 1 ? parts[1] : nil,
                                          subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the bundled list \(name) is missing from the EmailCheckStage resources")
        }
        return text
    }
}
