import LeadIO
import PipelineExecution

/// The files one run writes, each atomic: the clean output, the rejects and (optionally) the merged rows.
final class OutputFiles: ChunkWriter {
    let output: AtomicOutputFile
    let rejects: AtomicOutputFile?
    let merged: AtomicOutputFile?

    init(output: String, rejects: String?, merged: String?, renderer: OutputRenderer) throws {
        self.output = try AtomicOutputFile(path: output)
        self.rejects = try rejects.map(AtomicOutputFile.init)
        self.merged = try merged.map(AtomicOutputFile.init)
        try self.output.write(renderer.outputHeader())
        try self.rejects?.write(renderer.rejectsHeader())
        try self.merged?.write(renderer.mergedHeader())
    }

    func write(_ rendered: OutputRenderer.Rendered) throws {
        if !rendered.output.isEmpty { try output.write(rendered.output) }
        if !rendered.rejects.isEmpty { try rejects?.write(rendered.rejects) }
        if !rendered.merged.isEmpty { try merged?.write(rendered.merged) }
    }

    func discardAll() {
        output.discard()
        rejects?.discard()
        merged?.discard()
    }
}
