import Foundation
import RunStore
import Testing
import TestSupport

/// A store opened read-only (a dry run, explain-match) on a real SQLite file.
@Suite("Read-only store")
struct ReadOnlyStoreTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func verdict(_ domain: String) -> DNSVerdictEntry {
        DNSVerdictEntry(domain: domain, verdictJSON: "{}", resolvedAt: now, expiresAt: now.addingTimeInterval(3600))
    }

    @Test func readsTheStoreRefusesEveryWriteAndLeavesTheFolderAsItWas() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let written = try RunStore(path: path)
            try written.saveDNSVerdicts([verdict("acme.com")])
            try written.close()
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["store.sqlite"])

            let store = try RunStore(path: path, readOnly: true)
            #expect(store.isReadOnly)
            #expect(try store.dnsVerdict(for: "acme.com", now: now) != nil)
            #expect(throws: RunStoreError.self) { try store.saveDNSVerdicts([verdict("globex.com")]) }
            #expect(throws: RunStoreError.self) { try store.rememberEntityIDs(["L1": "e1"]) }
            try store.close()
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["store.sqlite"])
        }
    }

    @Test func aMissingStoreIsAnEmptyOneInAPrivateFolderThatGoesWithIt() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("not/yet/store.sqlite")
            var store: RunStore? = try RunStore(path: path, readOnly: true)
            #expect(try store?.runs().isEmpty == true)
            #expect(try store?.entityIDs(forRecordKeys: ["L1"]).isEmpty == true)
            let standIn = try #require(store.map { Self.openFiles(of: $0) }?.first)
            #expect(FileManager.default.fileExists(atPath: standIn))
            store = nil
            #expect(!dir.exists("not"))
            #expect(!FileManager.default.fileExists(atPath: standIn))
        }
    }

    /// The file the store has open under its stand-in folder, read from /proc (Linux).
    static func openFiles(of _: RunStore) -> [String] {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }
            .filter { $0.contains("leadhygiene-store-") && $0.hasSuffix("store.sqlite") }
    }
}
