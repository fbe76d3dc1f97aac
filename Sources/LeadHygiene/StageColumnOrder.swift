import LeadRecords
import PipelineFileLoading
import PipelineSpec

/// What `lint` says about the columns stages hand each other: a stage that reads a column a later stage
/// writes is out of order (an error: it would silently read nothing), and a column nobody writes and the
/// input lacks turns part of a stage off (a warning that says which).
enum StageColumnOrder {
    static func check(stages: [StageInvocation], inputColumns: [String]?, file: String) -> [Diagnostic] {
        let input = Set(inputColumns ?? [])
        let written: [Set<String>] = stages.map { Set($0.descriptor.producedColumns.map(\.name)) }
        var diagnostics: [Diagnostic] = []
        for position in stages.indices {
            let stage = stages[position]
            var unwritten: [String] = []
            var writtenLater: [(writer: String, columns: [String])] = []
            for column in stage.descriptor.consumes where !input.contains(column.name) {
                if firstWriter(of: column.name, in: written, from: 0, to: position) != nil { continue }
                if let later = firstWriter(of: column.name, in: written, from: position + 1, to: stages.count) {
                    let writer = stages[later].name
                    if let i = writtenLater.firstIndex(where: { $0.writer == writer }) {
                        writtenLater[i].columns.append(column.name)
                    } else {
                        writtenLater.append((writer, [column.name]))
                    }
                } else if inputColumns != nil {
                    unwritten.append(column.name)
                }
            }
            for (writer, columns) in writtenLater {
                diagnostics.append(Diagnostic(
                    file: file, location: stage.location ?? .start,
                    message: "stage '\(stage.name)' reads \(columns.joined(separator: ", ")), which '\(writer)' writes only after it; "
                        + "put \(writer) before \(stage.name)"))
            }
            if !unwritten.isEmpty {
                diagnostics.append(Diagnostic(file: file, location: stage.location ?? .start, severity: .warning,
                                              message: unwrittenMessage(stage: stage.name, columns: unwritten)))
            }
        }
        return diagnostics
    }

    /// The index of the first stage in `from..<to` that writes `column`.
    private static func firstWriter(of column: String, in written: [Set<String>], from: Int, to: Int) -> Int? {
        var index = from
        while index < to {
            if written[index].contains(column) { return index }
            index += 1
        }
        return nil
    }

    private static func unwrittenMessage(stage: String, columns: [String]) -> String {
        var writers: [String] = []
        for type in StageRegistry.stages {
            let descriptor = type.descriptor
            let names = Set(descriptor.producedColumns.map(\.name))
            if columns.contains(where: { names.contains($0) }) { writers.append(descriptor.name) }
        }
        let hint = writers.isEmpty ? "" : " (written by \(writers.joined(separator: ", ")))"
        let pronoun = columns.count == 1 ? "it" : "them"
        return "stage '\(stage)' reads \(columns.joined(separator: ", ")), which no earlier stage writes and the input lacks"
            + "\(hint): what it reads from \(pronoun) is skipped"
    }
}
