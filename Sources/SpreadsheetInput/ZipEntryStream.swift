import Foundation
import ZIPFoundation

/// One ZIP entry's uncompressed bytes, read on demand: a thread inflates the entry into a small bounded
/// queue, and ``read(into:)`` takes from it.
///
/// ZIPFoundation only pushes an entry's bytes into a closure, while libxml2's reader pulls them as it
/// parses; the thread joins the two without ever holding more than ``capacity`` blocks, so a sheet of
/// any size streams in constant memory (and inflating runs beside the parsing).
final class ZipEntryStream {
    /// Blocks of this many bytes are inflated at a time.
    static let blockSize = 64 * 1024
    /// At most this many blocks wait in the queue.
    static let capacity = 8

    let entryPath: String
    /// The entry's uncompressed and compressed sizes, for progress.
    let uncompressedSize: Int
    let compressedSize: Int
    private let channel: Channel
    private var current = Data()
    private var offset = 0
    /// Uncompressed bytes handed out so far.
    private(set) var bytesDelivered = 0

    /// Starts inflating `entryPath` of the archive at `archiveURL`.
    /// - Throws: ``WorkbookError`` when the archive cannot be opened or has no such entry.
    init(archiveURL: URL, entryPath: String) throws {
        // The thread opens the archive again: an `Archive` keeps one file position, so one instance per
        // thread is simplest and costs one read of the central directory.
        let archive = try WorkbookArchive.open(archiveURL)
        guard let entry = archive[entryPath] else { throw WorkbookError.missingPart(entryPath) }
        self.entryPath = entryPath
        uncompressedSize = Int(clamping: entry.uncompressedSize)
        compressedSize = Int(clamping: entry.compressedSize)
        let channel = Channel()
        self.channel = channel
        let producer = Thread {
            channel.produce(archiveURL: archiveURL, entryPath: entryPath)
        }
        producer.name = "xlsx inflate \(entryPath)"
        producer.start()
    }

    deinit { channel.cancel() }

    /// Copies up to `buffer.count` bytes into `buffer`; returns 0 at the end of the entry.
    /// - Throws: ``WorkbookError/corruptPart(_:_:)`` when the entry cannot be inflated or its checksum differs.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while offset >= current.count {
            guard let next = try channel.take() else { return 0 }
            current = next
            offset = 0
        }
        let count = min(buffer.count, current.count - offset)
        current.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        bytesDelivered += count
        return count
    }

    /// The queue between the inflating thread and the reader; every field is guarded by `condition`.
    private final class Channel: @unchecked Sendable {
        private let condition = NSCondition()
        private var blocks: [Data] = []
        private var head = 0
        private var finished = false
        private var failure: WorkbookError?
        private var cancelled = false

        private struct Cancelled: Error {}

        func produce(archiveURL: URL, entryPath: String) {
            do {
                let archive = try WorkbookArchive.open(archiveURL)
                guard let entry = archive[entryPath] else { throw WorkbookError.missingPart(entryPath) }
                let checksum = try archive.extract(entry, bufferSize: ZipEntryStream.blockSize) { data in
                    try self.put(data)
                }
                if checksum != entry.checksum {
                    throw WorkbookError.corruptPart(entryPath, "its checksum does not match (the file is damaged or truncated)")
                }
                finish(nil)
            } catch is Cancelled {
                finish(nil)
            } catch let error as WorkbookError {
                finish(error)
            } catch {
                finish(.corruptPart(entryPath, "it cannot be inflated (\(error))"))
            }
        }

        private func put(_ data: Data) throws {
            guard !data.isEmpty else { return }
            condition.lock()
            defer { condition.unlock() }
            while blocks.count - head >= ZipEntryStream.capacity && !cancelled { condition.wait() }
            if cancelled { throw Cancelled() }
            if head > 64 {
                blocks.removeFirst(head)
                head = 0
            }
            blocks.append(data)
            condition.broadcast()
        }

        private func finish(_ error: WorkbookError?) {
            condition.lock()
            finished = true
            failure = error
            condition.broadcast()
            condition.unlock()
        }

        /// The next block, or `nil` at the end of the entry.
        func take() throws -> Data? {
            condition.lock()
            defer { condition.unlock() }
            while head >= blocks.count && !finished { condition.wait() }
            if head < blocks.count {
                let block = blocks[head]
                blocks[head] = Data()
                head += 1
                condition.broadcast()
                return block
            }
            if let failure { throw failure }
            return nil
        }

        /// Stops the thread at its next block, whether it waits for room or is inflating.
        func cancel() {
            condition.lock()
            cancelled = true
            blocks = []
            head = 0
            condition.broadcast()
            condition.unlock()
        }
    }
}
