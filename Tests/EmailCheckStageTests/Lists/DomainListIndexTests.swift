import EmailCheckStage
import LeadFacts
import Testing

/// The one-pass index must say exactly what the three lists say one by one, for listed domains, their
/// subdomains, their parents and domains no list has.
@Suite struct DomainListIndexTests {
    @Test func agreesWithEachListOnListedDomainsTheirSubdomainsAndParents() {
        let checker = EmailChecker.bundled()
        var acceptAll = DomainList(["catchall.example-corp.com", "accepts.io"])
        acceptAll.add(["mail.accepts.io"])
        let index = DomainListIndex(disposable: checker.disposable, freeMail: checker.freeMail, acceptAll: acceptAll)
        var domains: [String] = ["com", "io", "acme.com", "a.b.c.d.example-corp.com", "catchall.example-corp.com",
                                 "x.catchall.example-corp.com", "accepts.io", "mail.accepts.io", "deep.mail.accepts.io", "-.", "."]
        for listed in checker.disposable.domains.sorted().prefix(300) + checker.freeMail.domains.sorted().prefix(100) {
            domains += [listed, "mx." + listed, "a.b." + listed]
            if let dot = listed.firstIndex(of: ".") { domains.append(String(listed[listed.index(after: dot)...])) }
        }
        var rng = SplitMix64(seed: 11)
        for _ in 0..<300 {
            let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789-")
            let label = String((0..<Int(2 + rng.next() % 10)).map { _ in letters[Int(rng.next() % UInt64(letters.count))] })
            domains.append(label + [".com", ".de", ".co.uk", ".io"][Int(rng.next() % 4)])
        }
        for domain in domains {
            let found = index.lookUp(domain)
            #expect(found.disposableEntry == checker.disposable.entry(covering: domain), "\(domain)")
            #expect(found.isFreeMail == checker.freeMail.covers(domain), "\(domain)")
            #expect(found.isAcceptAll == acceptAll.covers(domain), "\(domain)")
        }
    }

    @Test func emptyListsFindNothing() {
        let index = DomainListIndex(disposable: DomainList(), freeMail: DomainList(), acceptAll: DomainList())
        #expect(index.lookUp("mailinator.com") == DomainListIndex.Found())
        #expect(index.lookUp("") == DomainListIndex.Found())
    }
}
