@testable import FirmographicMergeStage
import Testing

@Suite("Company name words")
struct CompanyNameWordsTests {
    @Test(arguments: [
        ("robinson black and robbins", ["robinson", "black", "robbins"]),
        ("acme holdings", ["acme"]),
        ("international", ["international"]),
        ("bank of america", ["bank", "america"]),
        ("acme holdibgs incc lmited", ["acme"]),  // generic words and legal forms with a typo
        ("ant farm", ["ant", "farm"]),            // a short word one letter from "and" is a word of its own
    ])
    func keepsOnlyTheWordsThatTellCompaniesApart(key: String, words: [String]) {
        #expect(CompanyNameWords.distinctive(key) == words)
    }

    @Test(arguments: [
        ("robinson", "robinsno", 1),   // adjacent letters swapped
        ("hamilton", "hamiltom", 1),   // neighbouring key
        ("richardson", "rihcardsin", 2), // two errors in a ten-letter word
        ("globex", "globexx", 1),      // the last letter doubled
        ("mason", "masson", 1),        // a doubled letter: indistinguishable from a typo
    ])
    func readsATypingErrorInALongWordAsTheWord(a: String, b: String, edits: Int) {
        #expect(CompanyNameWords.typoEdits(a, b) == edits)
    }

    @Test(arguments: [
        ("rogers", "roger"),     // a name with letters added at the end is another name
        ("brunet", "brun"),
        ("cooper", "cook"),
        ("morrison", "morris"),
        ("hardy", "kay"),
        ("kay", "kai"),          // short words carry no typo
        ("mason", "jason"),      // nor does the first letter
        ("studio54", "studio45"), // nor a number
        ("richardson", "richrdsnn"),
    ])
    func readsNearWordsOfOtherCompaniesAsDifferent(a: String, b: String) {
        #expect(CompanyNameWords.typoEdits(a, b) == nil)
        #expect(CompanyNameWords.typoEdits(b, a) == nil)
    }

    @Test func pairsEveryWordOnBothSidesOrNone() {
        #expect(CompanyNameWords.pairing(["robinson", "black", "robbins"], ["robinson", "black", "robbins"]) == 0)
        #expect(CompanyNameWords.pairing(["robinson", "black", "robbins"], ["black", "robbins", "robinson"]) == nil)
        #expect(CompanyNameWords.pairing(["robinson", "black", "robbins"], ["robinson", "blakc", "robbins"]) == 1)
        #expect(CompanyNameWords.pairing(["johnson"], ["johnston"]) == 1)
        #expect(CompanyNameWords.pairing(["johnson"], ["johnston"], isKnownWord: { $0 == "johnson" }) == 1)
        #expect(CompanyNameWords.pairing(["johnson"], ["johnston"], isKnownWord: { _ in true }) == nil)
        #expect(CompanyNameWords.pairing(["robinson", "black", "robbins"], ["robinson", "black", "robbins", "studio"]) == nil)
        #expect(CompanyNameWords.pairing(["davis", "ramirez", "brock"], ["davis", "ramirez", "duncan"]) == nil)
        #expect(CompanyNameWords.pairing(["globexx"], ["globex"]) == 1)
        #expect(CompanyNameWords.pairing(["hamilton", "collier"], ["hamiltom", "collier"]) == 1)
    }

    @Test func findsEveryWordWithinTheTypoAllowanceThroughDeletions() {
        let index = CompanyNameWords.deletions(of: Array("robinson".utf8), depth: 1)
        for typo in ["robinsno", "robinsn", "robinsonn", "rbinson", "robinzon"] {
            let variants = CompanyNameWords.deletions(of: Array(typo.utf8), depth: 1)
            #expect(!index.isDisjoint(with: variants), "\(typo)")
        }
    }
}
