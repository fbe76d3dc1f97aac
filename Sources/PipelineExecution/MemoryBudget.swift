import Foundation
import LeadFacts

/// How much memory a run may use, and the check that stops it cleanly before the kernel kills it.
///
/// A whole-list stage (dedupe) holds every row at once. A 3M-row dedupe under a 3 GiB limit was once
/// killed with no message and no report; now, while rows are gathered for such a stage, the memory
/// they take is projected to the end of the input and compared with the limit, and the run fails with
/// the figures and what to do (exit 1, report written, previous outputs left as they were).
public struct MemoryBudget: Sendable {
    /// The most the process may use, in bytes.
    public var limit: Int
    /// Where the limit comes from, for the message: `max_memory`, `cgroup memory.max`, `physical memory`.
    public var source: String

    public init(limit: Int, source: String) {
        self.limit = limit
        self.source = source
    }

    /// The smallest of `max_memory` (when set), the cgroup's limit and the machine's physical memory.
    public static func current(maxMemory: Int?) -> MemoryBudget {
        var budget = MemoryBudget(limit: Int(clamping: ProcessInfo.processInfo.physicalMemory), source: "physical memory")
        if let cgroup = cgroupLimit(), cgroup < budget.limit { budget = MemoryBudget(limit: cgroup, source: "the cgroup's memory limit") }
        if let maxMemory, maxMemory < budget.limit { budget = MemoryBudget(limit: maxMemory, source: "max_memory") }
        return budget
    }

    /// cgroup v2 `memory.max`, or v1 `memory.limit_in_bytes`; `nil` when unlimited or absent.
    static func cgroupLimit() -> Int? {
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            // v1 writes a huge number for "no limit"; v2 writes "max".
            if let bytes = Int(value), bytes < 1 << 50 { return bytes }
        }
        return nil
    }

    /// What the whole-list stage needs beyond the rows it is handed (indexes, pairs, clusters), as a
    /// share of what the rows take; dedupe measured at about half.
    static let wholeListWorkingShare = 0.5

    /// Throws when the rows gathered so far, projected to the whole input, would not fit.
    /// - Parameters:
    ///   - startBytes: resident memory before gathering started.
    ///   - bytesRead, totalBytes: how far through the input the reader is; `totalBytes` is `nil` for a pipe,
    ///     which is checked on what it uses now.
    func check(startBytes: Int, bytesRead: Int, totalBytes: Int?, rows: Int, stage: String) throws {
        let now = ResidentMemory.residentBytes()
        let gathered = max(0, now - startBytes)
        var projected = now
        if let totalBytes, totalBytes > 0, bytesRead > 0 {
            let share = min(1, Double(bytesRead) / Double(totalBytes))
            projected = startBytes + Int(Double(gathered) / share * (1 + Self.wholeListWorkingShare))
        }
        guard projected > limit else { return }
        throw ExecutionError.memoryExhausted(
            "stage '\(stage)' holds every row at once; \(rows) rows read so far take \(Self.mebibytes(gathered)), "
            + "and the whole input would need about \(Self.mebibytes(projected)), more than the \(Self.mebibytes(limit)) "
            + "that \(source) allows. Split the input, run dedupe on a narrower set of columns (output.columns does not help "
            + "here), give the run more memory, or raise max_memory if the machine has it")
    }

    static func mebibytes(_ bytes: Int) -> String { "\(bytes >> 20) MiB" }
}
