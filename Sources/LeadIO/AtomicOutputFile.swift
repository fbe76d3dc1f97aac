import CSystem
import Foundation
import Synchronization

/// An output file written to a temporary name beside its destination and renamed into place when the
/// run publishes it: a run that is killed or fails leaves the previous file (or none), never half a file.
///
/// What is not a regular file is written into, never replaced: `-` is standard output, and a character
/// device, FIFO or socket (`/dev/null`, a named pipe) is opened and written as it is, since renaming a
/// file over `/dev/null` breaks the machine for every process. A symbolic link keeps being a link: the
/// file it points to is the one replaced. Several files are published together by ``PublishedSet``.
public final class AtomicOutputFile {
    /// The path as given.
    public let path: String
    /// The file the run replaces: `path` with symbolic links followed.
    public let destination: String
    let temporaryPath: String?
    private let fd: Int32
    private var isFinished = false
    public private(set) var bytesWritten = 0
    /// Bytes already handed to the kernel's write-back; see ``write(_:)``.
    private var bytesWrittenBack = 0
    /// How many bytes are written before the kernel is asked to start writing them to disk.
    package static let writeBackStep = 8 << 20

    /// Whether the file is written in place (standard output or a special file), so it cannot be atomic.
    package var isWrittenInPlace: Bool { temporaryPath == nil }

    /// Creates the temporary file (and the destination's folder if it is missing).
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            destination = path
            temporaryPath = nil
            fd = STDOUT_FILENO
            return
        }
        let target = OutputPath.followingLinks(path)
        destination = target
        var info = stat()
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                break
            case S_IFDIR:
                throw InputOutputError(path: path, "is a folder, not a file to write")
            case S_IFCHR, S_IFIFO, S_IFSOCK:
                fd = open(target, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw InputOutputError.system(path, "cannot open for writing") }
                temporaryPath = nil
                return
            default:
                throw InputOutputError(path: path, "is a block device or another special file that a run does not write")
            }
        }
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw InputOutputError(path: path, "cannot create folder \(folder.path): \(error.localizedDescription)")
        }
        let temp = OutputPath.temporaryPath(for: target, pid: getpid())
        unlink(temp)
        fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InputOutputError.system(path, "cannot create output") }
        temporaryPath = temp
        TemporaryFiles.register(temp)
    }

    deinit {
        if !isFinished { discard() }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { throw ReaderStoppedError(path: path) }
                    throw InputOutputError.system(path, "write failed")
                }
                offset += n
            }
        }
        bytesWritten += bytes.count
        // Starting write-back as the file grows spreads the disk writes over the run, so the fsync before
        // publishing waits for the last few megabytes instead of the whole file.
        if temporaryPath != nil && bytesWritten - bytesWrittenBack >= Self.writeBackStep {
            WriteBack.start(fd, offset: bytesWrittenBack, count: bytesWritten - bytesWrittenBack)
            bytesWrittenBack = bytesWritten
        }
    }

    /// Flushes the temporary file to disk and closes it; returns the rename that publishes it, or `nil`
    /// for a file written in place. After this the file belongs to ``PublishedSet``.
    func sealForPublishing() throws -> PublishedSet.Rename? {
        guard !isFinished else { return nil }
        isFinished = true
        guard let temporaryPath else {
            if fd != STDOUT_FILENO { close(fd) }
            return nil
        }
        guard fsync(fd) == 0 || errno == EINVAL else {
            let code = errno
            close(fd)
            unlink(temporaryPath)
            TemporaryFiles.unregister(temporaryPath)
            throw InputOutputError.system(path, "flush failed", errno: code)
        }
        close(fd)
        return PublishedSet.Rename(temporary: temporaryPath, destination: destination)
    }

    /// Publishes this one file on its own.
    public func commit() throws {
        try PublishedSet.publish([self])
    }

    /// Drops the temporary file; the destination is left as it was.
    public func discard() {
        guard !isFinished else { return }
        isFinished = true
        guard let temporaryPath else {
            if fd != STDOUT_FILENO { close(fd) }
            return
        }
        close(fd)
        unlink(temporaryPath)
        TemporaryFiles.unregister(temporaryPath)
    }
}

/// Standard output (or a pipe) was closed by its reader (`leadhygiene run … --output - | head`): not an
/// input or disk problem, so the run stops, removes its temporary files and exits with
/// ``exitStatus``.
public struct ReaderStoppedError: Error, CustomStringConvertible {
    /// 141, what a shell reports for a process ended by SIGPIPE, so `set -o pipefail` scripts see the usual code.
    public static let exitStatus: Int32 = 141
    public var path: String
    public var description: String {
        "\(path == "-" ? "standard output" : path) was closed by its reader; the run stopped and removed its temporary files"
    }
}

/// Asks the kernel to start writing a range of a file to disk without waiting for it
/// (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`); where it fails nothing is started and the final
/// fsync does all the work.
enum WriteBack {
    static func start(_ fd: Int32, offset: Int, count: Int) {
        _ = csys_start_write_back(fd, Int64(offset), Int64(count))
    }
}

/// Temporary outputs still open, removed when the process is interrupted (SIGINT, SIGTERM, SIGHUP).
///
/// SIGKILL cannot be caught: then the hidden `.NAME.tmp-PID` file stays, but the destination is untouched.
public enum TemporaryFiles {
    private static let paths = Mutex<Set<String>>([])
    private static let handlers = Mutex<[DispatchSourceSignal]>([])

    static func register(_ path: String) { paths.withLock { _ = $0.insert(path) } }
    static func unregister(_ path: String) { paths.withLock { _ = $0.remove(path) } }

    /// Installs handlers that delete open temporary outputs and exit with 128 + the signal number.
    public static func removeOnInterrupt() {
        handlers.withLock { handlers in
            guard handlers.isEmpty else { return }
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler {
                    for path in paths.withLock({ $0 }) { unlink(path) }
                    exit(128 + sig)
                }
                source.resume()
                handlers.append(source)
            }
        }
    }
}
