import Foundation
import LeadIO
import RunStore

/// Keeps a second LeadHygiene process from recording in a run store while one is: a weekly job started by cron
/// while last night's run, or a `forget`, still works on the same store.
///
/// Without it both runs read the same last run and both recorded: the later one's comparisons, entity ids and
/// report named a run that was no longer the store's newest, and which of them the next week compared with
/// depended on which finished last. SQLite serializes the writes themselves, not a run's read-then-write.
///
/// An advisory `flock` on the store file itself, so no lock file is left beside the store. `flock` locks are
/// apart from the POSIX byte-range locks SQLite takes (on Linux), so they do not disturb each other; but closing
/// any descriptor of a file drops the process's POSIX locks on it, so the lock is released only after the run's
/// store connections are closed (the runner declares it before them). The kernel drops it if the process dies.
public final class StoreWriterLock {
    public let path: String
    private var descriptor: Int32
    /// What the lock made because there was no store yet, removed again if the run left them empty (it failed
    /// before its stages opened the store): a run that stops early leaves no empty store behind.
    private var createdFile = false
    /// The folders made for it, deepest first.
    private var createdFolders: [String] = []

    /// Takes the lock, creating the store's folder and an empty store file if there is none yet (as the run's
    /// first use of the store would).
    /// - Parameters:
    ///   - waitSeconds: how long to wait for another process to let the store go (`--wait-for-store`): a scheduler
    ///     that starts this week's job while last week's still records waits instead of failing. 0 fails at once.
    ///   - waiting: called once, with the holder's pid when known, if the lock is held when asked for.
    /// - Throws: ``InputOutputError`` naming the process that holds it, once the wait is over.
    public init(path: String, waitSeconds: Double = 0, waiting: ((Int?) -> Void)? = nil) throws {
        self.path = path
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty && folder != "/" && !FileManager.default.fileExists(atPath: folder) {
            createdFolders.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        if let deepest = createdFolders.first {
            try? FileManager.default.createDirectory(atPath: deepest, withIntermediateDirectories: true)
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor >= 0 {
            createdFile = true
        } else if errno == EEXIST {
            descriptor = open(path, O_RDWR | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            let code = errno
            for folder in createdFolders { rmdir(folder) }
            throw InputOutputError.system(path, "cannot open the run store", errno: code)
        }
        guard Self.lock(descriptor, waitSeconds: waitSeconds, waiting: waiting) else {
            let code = errno
            let holder = code == EWOULDBLOCK ? Self.holder(of: descriptor) : nil
            close(descriptor)
            descriptor = -1
            guard code == EWOULDBLOCK else { throw InputOutputError.system(path, "cannot lock the run store", errno: code) }
            let waited = waitSeconds > 0 ? " after waiting \(Self.seconds(waitSeconds))" : ""
            throw InputOutputError(path: path, "the run store is in use by another LeadHygiene process"
                + (holder.map { " (pid \($0))" } ?? "") + " recording a run or changing the store\(waited); "
                + "nothing was written: try again once it has finished" + (waitSeconds > 0 ? "" : ", or pass --wait-for-store SECONDS"))
        }
    }

    /// `flock`, tried again every tenth of a second until `waitSeconds` have passed; false with `errno` set when it
    /// was not taken. Polled rather than blocking: a blocking `flock` cannot time out without a signal.
    private static func lock(_ descriptor: Int32, waitSeconds: Double, waiting: ((Int?) -> Void)?) -> Bool {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        guard errno == EWOULDBLOCK, waitSeconds > 0 else { return false }
        waiting?(holder(of: descriptor))
        let deadline = ContinuousClock.now + .milliseconds(Int(waitSeconds * 1000))
        while ContinuousClock.now < deadline {
            usleep(100_000)
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            guard errno == EWOULDBLOCK else { return false }
        }
        errno = EWOULDBLOCK
        return false
    }

    /// Lets the lock go; the store's connections must be closed by now.
    public func release() {
        guard descriptor >= 0 else { return }
        // Still held while the empty file goes, so no other process can have started using it.
        if createdFile && storeHoldsNothing() {
            // SQLite's companions too: a store in WAL mode may leave them when a connection was not closed cleanly.
            for file in [path, path + "-wal", path + "-shm", path + "-journal"] { unlink(file) }
            // Each only if empty: a run that did write beside the store keeps its folder.
            for folder in createdFolders { rmdir(folder) }
        }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

    /// Whether the store this lock created holds nothing a later run could use: still empty (the run stopped before its
    /// stages opened it), or only the schema the stages' set-up migrated into it (the run failed before it recorded
    /// anything or cached a lookup). In doubt (it cannot be read) it holds something and is kept.
    private func storeHoldsNothing() -> Bool {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return false }
        if info.st_size == 0 { return true }
        guard let store = try? RunStore(path: path, readOnly: true) else { return false }
        defer { try? store.close() }
        return (try? store.holdsNothing()) ?? false
    }

    /// The pid holding a `flock` on the file open as `descriptor`, from `/proc/locks`, when it can tell.
    private static func holder(of descriptor: Int32) -> Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0,
              let text = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        // `1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF`: the pid, then major:minor:inode (hex device numbers).
        let device = String(format: "%02x:%02x:%llu", major(info.st_dev), minor(info.st_dev), UInt64(info.st_ino))
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5] == device else { continue }
            return Int(fields[4])
        }
        return nil
    }

    /// What a command prints when it starts waiting for the store: a job that seems to hang says why.
    public static func noteWaiting(for path: String, seconds: Double) -> (Int?) -> Void {
        { holder in
            let who = holder.map { "another LeadHygiene process (pid \($0))" } ?? "another LeadHygiene process"
            FileHandle.standardError.write(Data(
                "note: \(path): \(who) is recording a run or changing the store; waiting up to \(Self.seconds(seconds)) for it\n".utf8))
        }
    }

    /// `90 s`, `1.5 s`: the wait as given.
    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private static func major(_ device: UInt) -> UInt { (device >> 8) & 0xFFF | (device >> 32) & ~UInt(0xFFF) }
    private static func minor(_ device: UInt) -> UInt { device & 0xFF | (device >> 12) & ~UInt(0xFF) }
}
