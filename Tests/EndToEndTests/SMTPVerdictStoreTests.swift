import EmailCheckStage
import Foundation
@testable import LeadHygiene
import RunStore
import Testing
import TestSupport

/// email_check's SMTP answers in the run store, through a real SQLite file.
@Suite("SMTP verdicts in the run store")
struct SMTPVerdictStoreTests {
    @Test func definitiveAnswersSurviveTheRunThatGotThemAndExpire() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let later = now.addingTimeInterval(30 * 86_400)
            let first = StoreSMTPVerdictCache(store: try RunStore(path: path))
            first.put(.accepted, forAddress: "jane@mailbox.example", expiresAt: later)
            first.put(.mailboxNotFound("550 5.1.1 user unknown"), forAddress: "nobody@mailbox.example", expiresAt: later)
            first.put(.acceptAll("random mailbox accepted: 250 OK"), forAddress: "anyone@catchall.example", expiresAt: later)
            first.put(.inconclusive("451 4.7.1 greylisted"), forAddress: "jo@grey.example", expiresAt: later)
            first.put(.accepted, forAddress: "old@mailbox.example", expiresAt: now)
            first.put(.acceptsAnyMailbox("random mailbox accepted: 250 OK"), forDomain: "catchall.example", expiresAt: later)
            first.put(.refusesUnknownMailboxes, forDomain: "mailbox.example", expiresAt: later)

            let second = StoreSMTPVerdictCache(store: try RunStore(path: path))
            #expect(second.verdict(forAddress: "jane@mailbox.example", now: now) == .accepted)
            #expect(second.verdict(forAddress: "nobody@mailbox.example", now: now) == .mailboxNotFound("550 5.1.1 user unknown"))
            #expect(second.verdict(forAddress: "anyone@catchall.example", now: now) == .acceptAll("random mailbox accepted: 250 OK"))
            #expect(second.verdict(forAddress: "jo@grey.example", now: now) == nil, "inconclusive answers are not kept")
            #expect(second.verdict(forAddress: "old@mailbox.example", now: now) == nil, "expired answers are not served")
            #expect(second.verdict(forDomain: "catchall.example", now: now) == .acceptsAnyMailbox("random mailbox accepted: 250 OK"))
            #expect(second.verdict(forDomain: "mailbox.example", now: now) == .refusesUnknownMailboxes)
            #expect(second.verdict(forDomain: "mailbox.example", now: later) == nil)

            let store = try RunStore(path: path)
            #expect(try store.purgeExpiredSMTPVerdicts(now: now) == 1)
            #expect(try store.purgeExpiredSMTPVerdicts(now: later) == 5)
        }
    }

    @Test func aLaterAnswerReplacesTheEarlierOne() throws {
        try withTemporaryDirectory { dir in
            let path = dir.path("store.sqlite")
            let now = Date()
            let cache = StoreSMTPVerdictCache(store: try RunStore(path: path))
            cache.put(.accepted, forAddress: "left@acme.example", expiresAt: now.addingTimeInterval(60))
            cache.put(.mailboxNotFound("550 5.1.1 gone"), forAddress: "left@acme.example", expiresAt: now.addingTimeInterval(60))
            #expect(StoreSMTPVerdictCache(store: try RunStore(path: path)).verdict(forAddress: "left@acme.example", now: now)
                    == .mailboxNotFound("550 5.1.1 gone"))
        }
    }
}
