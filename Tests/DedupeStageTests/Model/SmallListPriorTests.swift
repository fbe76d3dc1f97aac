import Foundation
import Testing
@testable import DedupeStage

/// u and term frequencies on lists too small to measure them alone lean on the comparators' prior u, and from a
/// thousand rows on do not lean on it at all.
@Suite struct SmallListPriorTests {
    static func pattern(_ level: UInt8) -> ComparisonPattern {
        var p = ComparisonPattern()
        p.set(0, level)
        return p
    }

    static func emailModel() -> FellegiSunterModel {
        FellegiSunterModel(fieldNames: ["email"], levelNames: [ComparatorKind.email.levelNames])
    }

    @Test func everyComparatorsPriorUIsADistributionOverItsLevels() {
        for kind in ComparatorKind.allCases {
            #expect(kind.priorU.count == kind.levelCount, "\(kind)")
            #expect(abs(kind.priorU.reduce(0, +) - 1) < 1e-9, "\(kind)")
            #expect(kind.priorU.allSatisfy { $0 > 0 }, "\(kind)")
        }
    }

    @Test func theSharedMailboxOfAFourRowListsDuplicateStaysRareAmongNonMatches() {
        // Four rows, one duplicate pair: of the six pairs, one agrees on the mailbox.
        let random = [Self.pattern(0): 5, Self.pattern(3): 1]
        var measured = Self.emailModel(), withPrior = Self.emailModel()
        ExpectationMaximisation.estimateU(&measured, randomPatterns: random)
        ExpectationMaximisation.estimateU(&withPrior, randomPatterns: random, prior: [ComparatorKind.email.priorU],
                                          pseudoPairs: SmallListPrior.pseudoPairs(rows: 4))
        #expect(measured.u[0][3] > 0.1)
        #expect(withPrior.u[0][3] < 1e-4)
        #expect(withPrior.rawWeight(field: 0, level: 3) > measured.rawWeight(field: 0, level: 3) + 8)
    }

    @Test func thePriorsShareFallsAsTheListGrowsAndVanishesAtAThousandRows() {
        let sizes = [2, 4, 20, 100, 300, 999, 1000, 5000]
        let pseudo = sizes.map { SmallListPrior.pseudoPairs(rows: $0) }
        #expect(zip(pseudo, pseudo.dropFirst()).allSatisfy { $0 > $1 || ($0 == 0 && $1 == 0) })
        #expect(pseudo[5] > 0)
        #expect(pseudo[6] == 0 && pseudo[7] == 0)
        #expect(SmallListPrior.pseudoRows(rows: 999) == 1)
        #expect(SmallListPrior.pseudoRows(rows: 1000) == 0)
    }

    @Test func fromAThousandRowsOnUIsExactlyWhatTheRandomPairsMeasure() {
        let random = [Self.pattern(0): 199_000, Self.pattern(1): 950, Self.pattern(2): 40, Self.pattern(3): 10,
                      Self.pattern(PreparedField.nullLevel): 3_000]
        var measured = Self.emailModel(), withPrior = Self.emailModel()
        ExpectationMaximisation.estimateU(&measured, randomPatterns: random)
        ExpectationMaximisation.estimateU(&withPrior, randomPatterns: random, prior: [ComparatorKind.email.priorU],
                                          pseudoPairs: SmallListPrior.pseudoPairs(rows: 1000))
        #expect(withPrior.u == measured.u)
    }

    @Test func aNameTwoOfFourRowsShareIsNotHalfOfAllNames() throws {
        let settings = DedupeSettings(fields: [FieldSpec(name: "first_name", columns: ["first"], comparator: .name, termFrequency: true)],
                                      blocking: [try BlockingRule("first_name")])
        let small = try RecordMatcher(settings: settings, rowCount: 4, columns: ["first": ["Jane", "Jane", "Bob", "Ann"]])
        let tf = small.termFrequency(0, row: 0)
        #expect(tf < 0.01)
        #expect(tf > ComparatorKind.name.priorU[5])
        // From a thousand rows on the value's own share, as before.
        let letters: [Character] = Array("abcdefghijklmnopqrstuvwxyz")
        var names = ["Jane", "Jane"]
        for i in 0..<998 {
            let word: [Character] = [letters[i / 676], letters[(i / 26) % 26], letters[i % 26]]
            names.append(String(word))
        }
        let large = try RecordMatcher(settings: settings, rowCount: names.count, columns: ["first": names])
        #expect(large.termFrequency(0, row: 0) == 2.0 / 1000)
    }
}
