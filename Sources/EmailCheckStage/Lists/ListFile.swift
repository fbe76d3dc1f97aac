import LeadFacts

/// Reading the stage's list files: one entry per line, `#` comments, blank lines ignored (``ListText``).
enum ListFile {
    static func entries(in text: String) -> [String] { ListText.entries(in: text) }

    /// The text of a file of the module's `Resources` folder, compiled into the binary; a missing one is a packaging bug.
    static func bundledText(_ name: String) -> String {
        guard let text = EmbeddedResources.text(name) else {
            fatalError("the list \(name) is not among the EmailCheckStage embedded resources")
        }
        return text
    }
}
