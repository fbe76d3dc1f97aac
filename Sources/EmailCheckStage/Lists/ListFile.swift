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

    /// The text of a file of the module's `Resources` folder, compiled into the binary; a missing one is a packaging bug.
    static func bundledText(_ name: String) -> String {
        guard let text = EmbeddedResources.text(name) else {
            fatalError("the list \(name) is not among the EmailCheckStage embedded resources")
        }
        return text
    }
}
