import Foundation
import LeadIO

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
    /// - Throws: ``InputOutputError`` naming the process that holds it, without waiting.
    public init(path: String) throws {
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
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = code == EWOULDBLOCK ? Self.holder(of: descriptor) : nil
            close(descriptor)
            descriptor = -1
            guard code == EWOULDBLOCK else { throw InputOutputError.system(path, "cannot lock the run store", errno: code) }
            throw InputOutputError(path: path, "the run store is in use by another LeadHygiene process"
                + (holder.map { " (pid \($0))" } ?? "") + " recording a run or changing the store; "
                + "nothing was written: try again once it has finished")
        }
    }

    /// Lets the lock go; the store's connections must be closed by now.
    public func release() {
        guard descriptor >= 0 else { return }
        // Still held while the empty file goes, so no other process can have started using it.
        var info = stat()
        if createdFile && fstat(descriptor, &info) == 0 && info.st_size == 0 {
            unlink(path)
            // Each only if empty: a run that did write beside the store keeps its folder.
            for folder in createdFolders { rmdir(folder) }
        }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }

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

    private static func major(_ device: UInt) -> UInt { (device >> 8) & 0xFFF | (device >> 32) & ~UInt(0xFFF) }
    private static func minor(_ device: UInt) -> UInt { device & 0xFF | (device >> 12) & ~UInt(0xFF) }
}
