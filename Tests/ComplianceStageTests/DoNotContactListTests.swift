import ComplianceStage
import Foundation
import PipelineSpec
import Testing
import TestSupport

/// Do-not-contact files read from disk, matched by mailbox identity and registrable domain.
@Suite("Do-not-contact lists")
struct DoNotContactListTests {
    @Test func anEntryMatchesEverySpellingOfItsMailboxAndADomainEveryAddressAtIt() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("dnc.csv", """
                Email,Domain,Reason
                jodoe@gmail.com,,asked by phone
                ,competitor.co.uk,competitor
                Ann.Lee@Acme.com,,legal hold

                """)
            var list = DoNotContactList()
            try list.load(path: path)
            #expect(list.match(try #require(SubjectAddress("Jo.Doe+x@Gmail.com")))?.kind == .address)
            #expect(list.match(try #require(SubjectAddress("j.o.d.o.e@googlemail.com")))?.reason == "asked by phone")
            #expect(list.match(try #require(SubjectAddress("ann.lee+promo@acme.com")))?.origin == "dnc.csv:4")
            #expect(list.match(try #require(SubjectAddress("x@sales.competitor.co.uk")))?.kind == .domain)
            #expect(list.match(try #require(SubjectAddress("jo.doe@acme.com"))) == nil, "dots count outside Gmail")
            #expect(list.match(try #require(SubjectAddress("someone@other.co.uk"))) == nil)
        }
    }

    @Test func aListSavedByExcelOnAGermanWindowsIsReadEntryByEntry() throws {
        try withTemporaryDirectory { dir in
            // Excel's "CSV": `;`, CRLF, Windows-1252 ("Müller" has 0xFC).
            let path = try dir.write("dnc.csv", bytes: Array("E-Mail-Adresse;Domain;Grund\r\njo@acme.com;;Anruf M".utf8) + [0xFC]
                                     + Array("ller\r\n;competitor.de;Wettbewerber\r\n".utf8))
            var list = DoNotContactList()
            try list.load(path: path)
            #expect(list.match(try #require(SubjectAddress("jo@acme.com")))?.reason == "Anruf Müller")
            #expect(list.match(try #require(SubjectAddress("x@competitor.de")))?.kind == .domain)
        }
    }

    @Test func anUnreadableEntryIsAnErrorAtItsLineNotASkippedRow() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("dnc.csv", "entry,reason\njo@acme.com,x\nnot an address @,y\n")
            var list = DoNotContactList()
            let error = try #require(throws: PipelineFileError.self) { try list.load(path: path) }
            #expect(error.diagnostics.map(\.description) == ["\(path):3:1: error: 'not an address @' is not an email address"])
        }
    }
}
