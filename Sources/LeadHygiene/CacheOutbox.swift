import Foundation
import LeadIO
import RunStore
import Synchronization

/// What a distributed run's task found for the run store's caches (email_check's DNS and SMTP verdicts, scrape's pages),
/// kept in a file beside its staged file (`FILE.caches`) for `store import` to save.
///
/// A task reads a copy of the store and never writes it, so without this every verdict and page a Spark run looked up
/// was lost, and next week's run looked them all up again. The entries are written as they arrive (a page can be large,
/// and a task may fetch thousands), one JSON object per line.
public final class CacheOutbox: Sendable {
    /// One cache entry, as the store's tables hold it.
    enum Entry: Codable {
        case dns(DNSVerdictEntry)
        case smtpAddress(SMTPAddressVerdictEntry)
        case smtpDomain(SMTPDomainVerdictEntry)
        case page(CachedPage)
    }

    /// The outbox file of the staged file at `stagedPath`.
    public static func path(besideStaged stagedPath: String) -> String { stagedPath + ".caches" }

    public let path: String
    private let descriptor = Mutex<Int32>(-1)

    /// Creates (or empties) the file.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw InputOutputError.system(path, "cannot write the task's cache entries") }
        descriptor.withLock { $0 = fd }
    }

    deinit { close() }

    func add(_ entry: Entry) {
        guard var line = try? JSONEncoder().encode(entry) else { return }
        line.append(0x0A)
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            line.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    // A cache entry lost to a full disk costs a lookup next week, not a wrong result: stop writing.
                    guard written > 0 else {
                        closeDescriptor(fd)
                        fd = -1
                        return
                    }
                    offset += written
                }
            }
        }
    }

    /// Closes the file; entries added afterwards are dropped.
    public func close() {
        descriptor.withLock { fd in
            if fd >= 0 { closeDescriptor(fd) }
            fd = -1
        }
    }

    /// Saves the entries of the outbox at `path` (none when there is no file) in `store`, in batches.
    /// - Returns: the number of entries saved.
    static func save(from path: String, into store: RunStore) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        var saved = 0
        var pending: [UInt8] = []
        var dns: [DNSVerdictEntry] = [], addresses: [SMTPAddressVerdictEntry] = [], pages: [CachedPage] = []
        func flush() throws {
            if !dns.isEmpty { try store.saveDNSVerdicts(dns) }
            if !addresses.isEmpty { try store.saveSMTPAddressVerdicts(addresses) }
            if !pages.isEmpty { try store.savePages(pages) }
            saved += dns.count + addresses.count + pages.count
            dns.removeAll()
            addresses.removeAll()
            pages.removeAll()
        }
        func take(_ line: ArraySlice<UInt8>) throws {
            guard !line.isEmpty else { return }
            // A line cut short by a task that died mid-write is skipped: the entry is looked up again next run.
            guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(line)) else { return }
            switch entry {
            case .dns(let verdict): dns.append(verdict)
            case .smtpAddress(let verdict): addresses.append(verdict)
            case .smtpDomain(let verdict):
                try store.saveSMTPDomainVerdict(verdict)
                saved += 1
            case .page(let page): pages.append(page)
            }
            if dns.count + addresses.count >= 512 || pages.count >= 64 { try flush() }
        }
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            pending += block
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try take(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(..<start)
        }
        try take(pending[...])
        try flush()
        return saved
    }
}

/// `close(2)`, out of reach inside ``CacheOutbox``, whose own `close()` hides it.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }
