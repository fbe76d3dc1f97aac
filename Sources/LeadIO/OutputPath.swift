import Foundation

/// What a path names on disk, for telling whether two paths are one file, and where a run keeps its
/// temporary files beside an output.
public enum OutputPath {
    /// One file on disk: an existing file by device and inode (so hard links, symbolic links and `..`
    /// all meet), a file still to be created by its folder's real path and its name.
    public enum Identity: Hashable, Sendable {
        case inode(device: UInt64, inode: UInt64)
        case missing(path: String)
    }

    /// The identity of `path`; `nil` for `-` (standard input or output), which is no file.
    public static func identity(of path: String) -> Identity? {
        guard path != "-" else { return nil }
        let target = followingLinks(path)
        var info = stat()
        if stat(target, &info) == 0 {
            return .inode(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
        let url = URL(fileURLWithPath: target).standardizedFileURL
        let folder = url.deletingLastPathComponent().path
        let realFolder = realpath(folder, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? folder
        return .missing(path: (realFolder as NSString).appendingPathComponent(url.lastPathComponent))
    }

    /// `path` with symbolic links followed to the file they name, even when that file does not exist yet;
    /// `path` itself when it is no link.
    package static func followingLinks(_ path: String) -> String {
        var current = path
        // Forty hops is the kernel's own limit (ELOOP); past it the path is left for open(2) to refuse.
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = target.hasPrefix("/") ? target
                : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
        }
        return current
    }

    /// The hidden temporary file a process writes `destination` into: `.NAME.tmp-PID` beside it.
    static func temporaryPath(for destination: String, pid: pid_t) -> String {
        let url = URL(fileURLWithPath: destination)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(pid)").path
    }

    /// Removes the temporary files that processes no longer running left beside `destination`
    /// (killed with SIGKILL, out of memory, crashed): they are never published, only take space.
    /// - Returns: the paths removed.
    @discardableResult
    public static func removeStaleTemporaryFiles(besides destination: String) -> [String] {
        guard destination != "-" else { return [] }
        let target = followingLinks(destination)
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        // The output's own temporary file, and the publishing journal's while it is being written.
        let prefixes = [".\(url.lastPathComponent).tmp-", ".\(url.lastPathComponent).publish.tmp-"]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names {
            guard let prefix = prefixes.first(where: { name.hasPrefix($0) }),
                  let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, pid != getpid() else { continue }
            // kill(pid, 0) fails with ESRCH only when no such process exists; EPERM means it is alive.
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed
    }
}
