import ComplianceStage
import Foundation
import RunStore

/// `leadhygiene forget`: erases people from a run store and says what is left of them elsewhere.
///
/// A person is their mailbox: every spelling the shared mailbox identity folds together (`Jo.Doe+x@Gmail.com`
/// is `jodoe@gmail.com`). Each is erased in its own transaction (docs/privacy.md): snapshots, enrichment values,
/// entity keys, SMTP verdicts, cached pages that mention them and rows of other tables that do; then the
/// WAL is checkpointed and truncated, and a tombstone (a keyed hash, no address) makes later runs reject them.
public struct SubjectErasure {
    /// What was done for one address.
    public struct Result: Sendable {
        public var address: String
        public var outcome: ErasureOutcome
        /// Files earlier runs wrote that still exist and still contain one of the person's spellings.
        public var filesStillHolding: [RunOutputFile]
    }

    public let storePath: String

    public init(storePath: String) { self.storePath = storePath }

    /// An address the request names that is no address.
    public struct UnreadableAddress: Error, CustomStringConvertible {
        public var text: String
        public var origin: String
        public var description: String { "\(origin): '\(text)' is not an email address" }
    }

    /// The addresses of a list file: one per line (or the first field of a CSV line), `#` comments, a header
    /// line such as `email` skipped.
    public static func addresses(inList path: String) throws -> [(address: String, origin: String)] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result: [(String, String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let field = content.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let value = field.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\"\r")))
            if value.isEmpty || (index == 0 && !value.contains("@")) { continue }
            result.append((value, "\((path as NSString).lastPathComponent):\(index + 1)"))
        }
        return result
    }

    /// Erases each address (each in one transaction), then looks through the recorded output files.
    /// - Throws: ``UnreadableAddress`` before anything is deleted when one of the addresses is no address.
    public func erase(_ addresses: [(address: String, origin: String)], requestID: String, at time: Date = Date()) throws -> [Result] {
        let subjects = try addresses.map { entry -> SubjectAddress in
            guard let subject = SubjectAddress(entry.address) else { throw UnreadableAddress(text: entry.address, origin: entry.origin) }
            return subject
        }
        // A run recording meanwhile has read the subject's rows and would store them again after the erasure.
        let lock = try StoreWriterLock(path: storePath)
        defer { lock.release() }
        let store = try RunStore(path: storePath)
        defer { try? store.close() }
        let key = try store.erasureKey()
        var results: [Result] = []
        for (subject, entry) in zip(subjects, addresses) {
            let identity = subject.identityKey
            let erasure = ErasureSubject(
                hash: SubjectHash.hex(identityKey: identity, key: key),
                isSubjectAddress: { SubjectAddress($0)?.identityKey == identity },
                spellings: Array(Set([subject.normalized, identity])))
            let outcome = try store.erase(erasure, requestID: requestID, at: time)
            results.append(Result(address: entry.address, outcome: outcome, filesStillHolding: []))
        }
        // One entry per path: the latest run that wrote it (a weekly job writes the same paths every week).
        let files = Dictionary(try store.outputFiles().map { ($0.path, $0) }) { earlier, later in later.runID > earlier.runID ? later : earlier }
            .values.sorted { $0.path < $1.path }
        for i in results.indices {
            let spellings = results[i].outcome.spellings.map { Array($0.utf8) }
            results[i].filesStillHolding = files.filter { FileMentions.file($0.path, mentionsAnyOf: spellings) }
        }
        return results
    }
}

/// Whether a file's bytes contain one of several ASCII-case-insensitive strings, read in blocks so a
/// list of millions of rows is not held in memory.
enum FileMentions {
    static func file(_ path: String, mentionsAnyOf needles: [[UInt8]]) -> Bool {
        let needles = needles.filter { !$0.isEmpty }.map { $0.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
        guard !needles.isEmpty, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        // The last bytes of a block go again with the next, so a mention split across blocks is found.
        let overlap = (needles.map(\.count).max() ?? 1) - 1
        var carry: [UInt8] = []
        while let block = try? handle.read(upToCount: 1 << 20), !block.isEmpty {
            let bytes = carry + block
            if ErasureText.mentions(bytes, anyOf: needles) { return true }
            carry = Array(bytes.suffix(overlap))
        }
        return false
    }
}
