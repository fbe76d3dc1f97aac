import Foundation
import Testing
import TestSupport

/// `output.formula_guard`: a cleaned list opened in a spreadsheet does not run formulas planted in it.
@Suite("Formula guard")
struct FormulaGuardTests {
    @Test func prefixesPlantedFormulasInTheOutputAndRejectsButNotPhones() throws {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", """
                Email,First Name,Phone,Country
                jane@acme.test,"=HYPERLINK(""http://evil.test"",""Jane"")",+1 415 555 0134,US
                ,@SUM(1+1),020 7946 0958,GB

                """)
            try dir.write("p.yml", """
                input:  { path: leads.csv }
                output: { path: clean.csv, rejects: rejects.csv, formula_guard: true }
                stages:
                  - normalize: {}
                  - email_check: { dns: { enabled: false }, actions: { invalid: reject }, special_use_domains: { allow: [test] } }
                """)
            let result = try ProcessRunner.leadhygiene(["run", "p.yml", "--quiet"], in: dir.url)
            #expect(result.status == 0, "\(result.stderr)")
            let clean = try dir.read("clean.csv")
            #expect(clean.contains("\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"Jane\"\")\""), "\(clean)")
            #expect(clean.contains(",+1 415 555 0134,"), "\(clean)")
            #expect(clean.contains(",+14155550134,"), "\(clean)")  // norm_phone in E.164 is no formula
            #expect(!clean.contains(",=HYPERLINK"))
            let rejects = try dir.read("rejects.csv")
            #expect(rejects.contains(",'@SUM(1+1),"), "\(rejects)")
        }
    }
}
