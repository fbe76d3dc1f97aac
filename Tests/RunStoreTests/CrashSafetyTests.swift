import Foundation
import LeadRecords
import RunStore
import Testing
import TestSupport

@Suite("Crash safety")
struct CrashSafetyTests {
    /// Starts the bench executable's `store-crash-child` mode, waits until it is inside the big
    /// run's transaction, SIGKILLs it, then checks the file.
    @Test func aRunKilledMidWriteLeavesTheStoreAsItWas() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let (seen, reason) = try killStoreCrashChild(mode: "store-crash-child", path: path, rows: 1_000_000, at: "mid-write")
            #expect(seen.contains("committed"))
            #expect(seen.contains("mid-write"))
            #expect(!seen.contains("done"))
            #expect(reason == .uncaughtSignal)

            let store = try RunStore(path: path)
            #expect(try store.integrityCheck() == ["ok"])
            let runs = try store.runs(pipeline: "crash")
            #expect(runs.map(\.inputChecksum) == ["small"])
            #expect(runs.first?.snapshotCount == 1000)
            #expect(try store.packedLeadCount() == 1000)
            // The store is usable after the crash.
            let now = Date()
            let next = try store.recordRun(RunRecord(pipeline: "crash", inputChecksum: "after", referenceTime: now,
                                                     startedAt: now, finishedAt: now, rowsIn: 1, rowsActive: 1,
                                                     rowsRejected: 0, rowsMerged: 0),
                                           snapshots: [LeadSnapshot(entityID: "x", line: 2)])
            #expect(next.snapshotCount == 1)
        }
    }
}

@Suite("Crash safety of staged runs")
struct StagedCrashSafetyTests {
    /// The runner's path: decay stages a run's snapshots, then the process dies before the outputs
    /// are committed (so before the store commit). The store file must be as it was.
    @Test func aRunKilledAfterStagingLeavesTheStoreAsItWas() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let (seen, reason) = try killStoreCrashChild(mode: "store-crash-child-staged", path: path, rows: 100_000, at: "staged")
            #expect(seen.contains("committed"))
            #expect(seen.contains("staged"))
            #expect(!seen.contains("done"))
            #expect(reason == .uncaughtSignal)

            let store = try RunStore(path: path)
            #expect(try store.integrityCheck() == ["ok"])
            #expect(try store.runs(pipeline: "crash").map(\.inputChecksum) == ["small"])
            #expect(try store.packedLeadCount() == 1000)
        }
    }
}

/// Starts the bench executable in one of its crash-child modes, SIGKILLs it once it prints `marker`,
/// and returns what it printed and how it ended.
func killStoreCrashChild(mode: String, path: String, rows: Int, at marker: String) throws
    -> (printed: String, reason: Process.TerminationReason) {
    let child = ProcessRunner.product("MergeDecayBench")
    try #require(FileManager.default.isExecutableFile(atPath: child), "build first: swift build --build-tests")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: child)
    process.arguments = [mode, path, String(rows)]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    var seen = ""
    while !seen.contains(marker) {
        let data = out.fileHandleForReading.availableData
        if data.isEmpty { break }
        seen += String(decoding: data, as: UTF8.self)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return (seen, process.terminationReason)
}
