import Foundation
import PipelineFileLoading
import RunStore

/// `leadhygiene run --envelope --staged FILE`: a distributed run's whole-list task reads the run store (a copy the
/// driver shipped) and writes what its stages staged for it to FILE (``StagedRunFile``) instead of committing it; the
/// driver records the run from those files once its outputs are published (``StagedRunImport``).
public struct StagedRunExport: Sendable {
    private let file: StagedRunFile

    /// Notes the store's newest run before any stage reads the store: a run recorded after this moment is one the
    /// stages may not have seen, and `store import` refuses the run then.
    /// - Parameter storePath: `--store`, in place of the pipeline's `store:` path.
    public init(pipelinePath: String, storePath: String?, referenceTime: Date) throws {
        let pipeline = try PipelineFileLoader(stages: StageRegistry.descriptors).load(path: pipelinePath)
        guard let path = storePath ?? pipeline.storePath else { throw StagedRunImportError.noStore(pipelinePath) }
        file = StagedRunFile(baseRunID: try RunStore(path: path, readOnly: true).runs().last?.id, referenceTime: referenceTime)
    }

    /// Writes what the segment's stages staged to `path`.
    public func write(_ staging: RunStagingArea, to path: String) throws { try file.write(staging, to: path) }

    /// Writes a file that stages dedupe's `entityIDByRecordKey` alone: what a distributed dedupe's driver stages for
    /// the record keys found in entities of two tasks (`dedupe assign`), given after the tasks' files so that each key
    /// keeps the ID of its last entity, as on one machine.
    public func write(entityIDs entityIDByRecordKey: [String: String], to path: String) throws {
        let staging = RunStagingArea()
        if !entityIDByRecordKey.isEmpty { staging.stageEntityKeys(StagedEntityKeys(entityIDByRecordKey, at: Date())) }
        try file.write(staging, to: path)
    }
}

/// What ``PipelineRunner/exportStaging`` is handed: the segment's staging area, once its rows are written.
public typealias StagingExport = (RunStagingArea) throws -> Void
