import LeadIO
import PipelineExecution

/// The files one run writes, each atomic: the clean output, the rejects, (optionally) the merged rows, and the
/// clean rows split by a column's value (`output.split_by`).
final class OutputFiles: ChunkWriter {
    let output: AtomicOutputFile
    let rejects: AtomicOutputFile?
    let merged: AtomicOutputFile?
    /// The split files, in the split's order; every one is written, with the header only when no row has its value.
    let split: [(value: String, file: AtomicOutputFile)]
    private let splitLayout: OutputSplit?
    /// Rows written to each split file, by value.
    private(set) var splitRows: [String: Int] = [:]
    /// Clean rows a stage flagged and clean rows that may be mailed (``ActiveRowMarks``), as written.
    private(set) var rowsFlagged = 0
    private(set) var rowsMailable = 0
    /// Told the rows of each chunk once they are written (the progress line's writing phase).
    var onWrite: ((_ rows: Int) -> Void)?

    init(output: String, rejects: String?, merged: String?, split: OutputSplit?, renderer: OutputRenderer) throws {
        self.output = try AtomicOutputFile(path: output)
        self.rejects = try rejects.map(AtomicOutputFile.init)
        self.merged = try merged.map(AtomicOutputFile.init)
        self.split = try (split?.files ?? []).map { ($0.value, try AtomicOutputFile(path: $0.path)) }
        splitLayout = split
        try self.output.write(renderer.outputHeader())
        try self.rejects?.write(renderer.rejectsHeader())
        try self.merged?.write(renderer.mergedHeader())
        for (_, file) in self.split { try file.write(renderer.outputHeader()) }
    }

    func write(_ rendered: OutputRenderer.Rendered) throws {
        rowsFlagged += rendered.rowsFlagged
        rowsMailable += rendered.rowsMailable
        if !rendered.output.isEmpty { try output.write(rendered.output) }
        if !rendered.rejects.isEmpty { try rejects?.write(rendered.rejects) }
        if !rendered.merged.isEmpty { try merged?.write(rendered.merged) }
        onWrite?(rendered.rowsOut + rendered.rowsMerged + rendered.rejectReasons.values.reduce(0, +))
        guard let splitLayout else { return }
        for (value, bytes) in rendered.split {
            let target = splitLayout.files.contains { $0.value == value } ? value : splitLayout.fallbackValue
            try split.first { $0.value == target }?.file.write(bytes)
            splitRows[target, default: 0] += rendered.splitRows[value] ?? 0
        }
    }

    /// The split files as the report lists them: path, value and rows, in the split's order.
    var splitSummary: [(path: String, value: String, rows: Int)] {
        (splitLayout?.files ?? []).map { ($0.path, $0.value, splitRows[$0.value] ?? 0) }
    }

    /// The clean output and the split files: published together, or discarded together.
    var cleanFiles: [AtomicOutputFile] { [output] + split.map(\.file) }

    func discardAll() {
        output.discard()
        rejects?.discard()
        merged?.discard()
        for (_, file) in split { file.discard() }
    }
}
