@testable import EmailCheckStage
import Testing

@Suite struct DomainListTests {
    @Test func bundledDisposableListMatchesParentDomains() {
        let list = DomainList.bundled("disposable_domains.txt")
        let exact = list.entry(covering: "mailinator.com")
        let child = list.entry(covering: "x.mailinator.com")
        let grandchild = list.entry(covering: "a.b.mailinator.com")
        let gmail = list.covers("gmail.com"), company = list.covers("mailinator-consulting-acme.com")
        let count = list.domains.count
        #expect(exact == "mailinator.com")
        #expect(child == "mailinator.com")
        #expect(grandchild == "mailinator.com")
        #expect(!gmail)
        #expect(!company)
        #expect(count > 5000)
    }

    @Test func listFilesIgnoreCommentsAndStoreALabels() {
        let list = DomainList(text: "# header\nExample.COM  # trailing comment\n\nbücher.de\n")
        #expect(list.domains == ["example.com", "xn--bcher-kva.de"])
    }

    @Test func pipelineCanAddAndRemoveEntries() {
        var list = DomainList(["a.com", "b.com"])
        list.add(["c.com"])
        list.remove(["a.com"])
        #expect(list.domains == ["b.com", "c.com"])
    }

    @Test("role accounts match case-insensitively without +tags",
          arguments: [("info", true), ("Sales+leads", true), ("noreply", true), ("no-reply", true),
                      ("postmaster", true), ("jane", false), ("information", false)])
    func roleAccounts(_ local: String, _ isRole: Bool) {
        #expect(RoleAccountList.bundled().contains(localPart: local) == isRole)
    }
}
