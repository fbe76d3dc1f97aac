import Foundation
import Synchronization

/// An output file written to a temporary name beside its destination and renamed into place on
/// ``commit()``: a run that is killed or fails leaves the previous file (or none), never half a file.
///
/// `-` writes to standard output directly, which cannot be atomic.
public final class AtomicOutputFile {
    public let path: String
    let temporaryPath: String?
    private let fd: Int32
    private var isFinished = false
    public private(set) var bytesWritten = 0
    /// Bytes already handed to the kernel's write-back; see ``write(_:)``.
    private var bytesWrittenBack = 0
    /// How many bytes are written before the kernel is asked to start writing them to disk.
    public static let writeBackStep = 8 << 20

    /// Creates the temporary file (and the destination's folder if it is missing).
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            temporaryPath = nil
            fd = STDOUT_FILENO
            return
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw InputOutputError(path: path, "cannot create folder \(folder.path): \(error.localizedDescription)")
        }
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
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
                    throw InputOutputError.system(path, "write failed")
                }
                offset += n
            }
        }
        bytesWritten += bytes.count
        // Starting write-back as the file grows spreads the disk writes over the run, so the fsync in
        // ``commit()`` waits for the last few megabytes instead of the whole file.
        if temporaryPath != nil && bytesWritten - bytesWrittenBack >= Self.writeBackStep {
            WriteBack.start(fd, offset: bytesWrittenBack, count: bytesWritten - bytesWrittenBack)
            bytesWrittenBack = bytesWritten
        }
    }

    /// Flushes the file to disk and renames it over the destination.
    public func commit() throws {
        guard !isFinished else { return }
        isFinished = true
        guard let temporaryPath else { return }
        defer { TemporaryFiles.unregister(temporaryPath) }
        guard fsync(fd) == 0 || errno == EINVAL else {
            let code = errno
            close(fd)
            unlink(temporaryPath)
            throw InputOutputError.system(path, "flush failed", errno: code)
        }
        close(fd)
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw InputOutputError.system(path, "cannot move the finished file into place", errno: code)
        }
    }

    /// Drops the temporary file; the destination is left as it was.
    public func discard() {
        guard !isFinished else { return }
        isFinished = true
        guard let temporaryPath else { return }
        close(fd)
        unlink(temporaryPath)
        TemporaryFiles.unregister(temporaryPath)
    }
}

/// Asks the kernel to start writing a range of a file to disk without waiting for it (`sync_file_range`
/// with `SYNC_FILE_RANGE_WRITE`). Swift's Glibc module is built without `_GNU_SOURCE`, which hides the
/// declaration, so the function is looked up at run time; where it is missing nothing is started and
/// the final fsync does all the work, as before.
enum WriteBack {
    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private static let syncFileRange: SyncFileRange? = dlsym(nil, "sync_file_range").map {
        unsafeBitCast($0, to: SyncFileRange.self)
    }
    private static let syncFileRangeWrite: UInt32 = 2

    static func start(_ fd: Int32, offset: Int, count: Int) {
        _ = syncFileRange?(fd, Int64(offset), Int64(count), syncFileRangeWrite)
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
