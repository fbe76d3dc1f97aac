import Foundation

/// Publishes a run's files (clean output, rejects, merged rows, report) all or nothing, as the next run
/// and any command that touches those paths see them.
///
/// Every temporary file is flushed first; then a journal listing the renames is written beside the
/// first destination and moved into place in one rename, which is the moment the set is published;
/// then the renames happen and the journal is removed. A process killed before the journal's rename
/// leaves last week's files, all of them; killed after it, the next `leadhygiene run` or `lint` on those
/// paths finishes the renames (``rollForward(destinations:)``) before it does anything else, so this
/// week's clean list never stands beside last week's rejects.
public enum PublishedSet {
    /// One rename that publishes a file.
    package struct Rename: Sendable, Equatable {
        public var temporary: String
        public var destination: String
    }

    /// Tests set `LEADHYGIENE_ABORT_AFTER_PUBLISH_STEP=N` to kill the process after step N of publishing
    /// (1: journal in place, 2…: each rename, last: journal removed), the way a SIGKILL would.
    static let abortAfterStep = ProcessInfo.processInfo.environment["LEADHYGIENE_ABORT_AFTER_PUBLISH_STEP"].flatMap(Int.init)

    /// Publishes `files`; a file written in place (standard output, a device) was published as it was written.
    public static func publish(_ files: [AtomicOutputFile]) throws {
        var renames: [Rename] = []
        do {
            for file in files {
                if let rename = try file.sealForPublishing() { renames.append(rename) }
            }
        } catch {
            for file in files { file.discard() }
            for rename in renames { unlink(rename.temporary); TemporaryFiles.unregister(rename.temporary) }
            throw error
        }
        guard !renames.isEmpty else { return }
        defer { for rename in renames { TemporaryFiles.unregister(rename.temporary) } }
        if renames.count == 1 {
            // One file needs no journal: its rename is atomic on its own.
            try move(renames[0])
            step(2)
            return
        }
        let journal = journalPath(for: renames[0].destination)
        try writeJournal(renames, to: journal)
        step(1)
        for (i, rename) in renames.enumerated() {
            try move(rename)
            step(2 + i)
        }
        unlink(journal)
        syncFolder(of: journal)
        step(2 + renames.count)
    }

    /// Finishes publishing a set whose process was killed after its journal was in place. Call with every
    /// path a command is about to read or write, before anything else.
    /// - Returns: the destinations it completed.
    @discardableResult
    public static func rollForward(destinations: [String]) -> [String] {
        var completed: [String] = []
        for destination in destinations where destination != "-" {
            let journal = journalPath(for: OutputPath.followingLinks(destination))
            guard let text = try? String(contentsOfFile: journal, encoding: .utf8) else { continue }
            for entry in parse(text) {
                // A temporary file already moved is gone: that rename happened before the process died.
                if access(entry.temporary, F_OK) == 0, rename(entry.temporary, entry.destination) == 0 {
                    completed.append(entry.destination)
                }
            }
            unlink(journal)
            syncFolder(of: journal)
        }
        return completed
    }

    /// `.NAME.publish` beside the set's first destination.
    static func journalPath(for destination: String) -> String {
        let url = URL(fileURLWithPath: destination)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).publish").path
    }

    private static func writeJournal(_ renames: [Rename], to journal: String) throws {
        // One line per rename, the two absolute paths separated by a NUL byte, which no path contains.
        var bytes: [UInt8] = []
        for rename in renames {
            bytes += Array(absolute(rename.temporary).utf8) + [0] + Array(absolute(rename.destination).utf8) + [0x0A]
        }
        let temporary = journal + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InputOutputError.system(journal, "cannot write the publishing journal") }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, journal) == 0 else {
            let code = errno
            unlink(temporary)
            throw InputOutputError.system(journal, "cannot write the publishing journal", errno: code)
        }
        syncFolder(of: journal)
    }

    static func parse(_ text: String) -> [Rename] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\0", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            return Rename(temporary: String(parts[0]), destination: String(parts[1]))
        }
    }

    private static func move(_ rename: Rename) throws {
        guard Foundation.rename(rename.temporary, rename.destination) == 0 else {
            let code = errno
            unlink(rename.temporary)
            throw InputOutputError.system(rename.destination, "cannot move the finished file into place", errno: code)
        }
        syncFolder(of: rename.destination)
    }

    /// fsync of the folder makes a rename in it survive a power cut, not only a killed process.
    private static func syncFolder(of path: String) {
        let fd = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                      O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    private static func step(_ n: Int) {
        if let abortAfterStep, n == abortAfterStep { kill(getpid(), SIGKILL) }
    }
}
