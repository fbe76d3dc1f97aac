import Foundation
import LeadRecords
import RunStore

/// `MergeDecayBench store-crash-child STORE ROWS`: the child process of the RunStore kill test.
///
/// It records a small complete run, prints `committed`, then records a run of ROWS snapshots and
/// prints `mid-write` while that run's transaction is open, once uncommitted pages have spilled to
/// the WAL file (it grew by 4 MB since the first commit), so a SIGKILL then lands on a half-written
/// transaction that is already on disk. Left alone it finishes and prints `done`.
enum StoreCrashChild {
    /// The complete run both modes start with (1,000 snapshots, checksum `small`); prints `committed`.
    static func recordSmallRun(in store: RunStore, at now: Date) throws {
        let first = RunRecord(pipeline: "crash", inputChecksum: "small", referenceTime: now, startedAt: now,
                              finishedAt: now, rowsIn: 1000, rowsActive: 1000, rowsRejected: 0, rowsMerged: 0)
        try store.recordRun(first, snapshots: (0..<1000).lazy.map { SyntheticLead.snapshot($0) })
        announce("committed")
    }

    static func run(storePath: String, rows: Int) throws {
        let store = try RunStore(path: storePath)
        let now = Date()
        try recordSmallRun(in: store, at: now)

        let big = RunRecord(pipeline: "crash", inputChecksum: "big", referenceTime: now, startedAt: now,
                            finishedAt: now, rowsIn: rows, rowsActive: rows, rowsRejected: 0, rowsMerged: 0)
        // A watcher thread announces once uncommitted pages of the big run have reached the WAL file.
        let wal = storePath + "-wal"
        let committedWAL = fileSize(wal)
        let watcher = Thread {
            while fileSize(wal) <= committedWAL + 4 << 20 { usleep(5_000) }
            announce("mid-write")
        }
        watcher.start()
        try store.recordRun(big, snapshots: (0..<rows).lazy.map { SyntheticLead.snapshot($0) })
        announce("done")
    }

    /// `MergeDecayBench store-crash-child-staged STORE ROWS`: records a small complete run, prints
    /// `committed`, stages a run of ROWS snapshots the way decay does under `leadhygiene run`, prints
    /// `staged` and waits a minute before committing it (the test kills it while it waits), then
    /// prints `done`.
    static func runStaged(storePath: String, rows: Int) throws {
        let store = try RunStore(path: storePath)
        let now = Date()
        try recordSmallRun(in: store, at: now)
        let staged = try store.stageRun(pipeline: "crash", summaryJSON: "{}",
                                        snapshots: (0..<rows).lazy.map { SyntheticLead.snapshot($0) })
        announce("staged")
        sleep(60)
        try staged.commit(as: RunRecord(pipeline: "crash", inputChecksum: "big", referenceTime: now, startedAt: now,
                                        finishedAt: Date(), rowsIn: rows, rowsActive: rows, rowsRejected: 0, rowsMerged: 0))
        announce("done")
    }

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    private static func announce(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Deterministic synthetic snapshots for the store figures and the kill test.
enum SyntheticLead {
    static func snapshot(_ i: Int) -> LeadSnapshot {
        LeadSnapshot(entityID: "email:person\(i)@company\(i % 100_000).example", line: i + 2,
                     email: "person\(i)@company\(i % 100_000).example", firstName: "First\(i % 5000)",
                     lastName: "Last\(i % 7000)", title: i % 3 == 0 ? "VP Sales" : "Account Executive",
                     company: "Company \(i % 100_000)", domain: "company\(i % 100_000).example",
                     emailStatus: i % 17 == 0 ? "invalid" : "valid", webStatus: "ok", webRedirectDomain: "",
                     decayStatus: "fresh", decayScore: 0.05, disposition: "active")
    }
}
