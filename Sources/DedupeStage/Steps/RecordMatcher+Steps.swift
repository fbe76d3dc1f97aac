import Foundation
import LeadFacts

// The matcher's steps one at a time, for a run spread over many processes (`leadhygiene dedupe …`):
// every value a step writes depends on the rows' content and the whole list's counts, never on which rows
// happen to share a process.
extension RecordMatcher {
    /// Per rule, per row: the block key from the values' content (0 = not blocked by that rule), the same in every
    /// process that holds the row (one machine numbers values by first appearance, which differs between slices).
    package func portableBlockKeys() -> [[UInt64]] { blockKeys(portable: true) }

    /// Per field, row `row`'s comparison key as hex (nil when missing): what the whole list's counts are counted by.
    package func valueKeys(row: Int) -> [String?] {
        fields.map { field in
            let id = field.ids[row]
            return id < 0 ? nil : Hex.string(field.key(Int(id)))
        }
    }

    /// Per rule: the most rows a block may hold before it is skipped (smaller for a single identifier).
    package var ruleMaxBlockSizes: [Int] {
        let identifiers = Set([ComparatorKind.email, .phone])
        let strong = Set(settings.distinctMailboxes?.strongIdentifiers ?? [])
        return ruleTerms.map { terms in
            guard terms.count == 1, !terms[0].extra, terms[0].transform == .key else { return settings.maxBlockSize }
            let spec = settings.fields[terms[0].field]
            let identifier = identifiers.contains(spec.comparator) || strong.contains(spec.name)
            return identifier ? min(settings.maxBlockSize, settings.maxIdentifierBlockSize) : settings.maxBlockSize
        }
    }

    /// The random pairs training draws over a list of `rows` rows, by row index (0-based, in input order), in the
    /// fixed streams ``randomPatterns()`` uses: `body(stream, x, y)` for each, stream by stream.
    package static func drawRandomPairs(rows: Int, settings: DedupeSettings, stream t: Int, streams: Int,
                                        _ body: (Int, Int) -> Void) {
        let wanted = randomPairCount(rows: rows, settings: settings)
        var rng = SplitMix64(seed: settings.seed &+ UInt64(t) &* 0x2545_F491_4F6C_DD1D)
        let count = wanted / streams + (t < wanted % streams ? 1 : 0)
        let n = UInt64(rows)
        var drawn = 0
        while drawn < count {
            let x = Int(rng.next() % n), y = Int(rng.next() % n)
            if x == y { continue }
            body(x, y)
            drawn += 1
        }
    }

    /// How many random pairs training draws over `rows` rows: 5 per row (at least 200,000), capped by the setting
    /// and by the pairs there are.
    package static func randomPairCount(rows: Int, settings: DedupeSettings) -> Int {
        guard rows > 1 else { return 0 }
        let possible = Double(rows) * Double(rows - 1) / 2
        return Int(min(Double(min(settings.randomPairs, max(200_000, 5 * rows))), possible))
    }

    /// How many streams draw the random pairs over `rows` rows.
    package static func randomPairStreamCount(rows: Int, settings: DedupeSettings) -> Int {
        max(1, min(randomPairStreams, randomPairCount(rows: rows, settings: settings) / 10_000 + 1))
    }

    /// Trains on histograms counted elsewhere (a distributed run's candidate pairs and random pairs) and returns
    /// the model as a file; `rows` is the whole list's row count (the prior is scaled to all its pairs).
    package func fit(candidates: [RuledPattern: Int], random: [ComparisonPattern: Int], rows: Int) -> FittedModel {
        let outcome = train(histogram: candidates, randomPatterns: random, rows: rows)
        return FittedModel(model: model, trainingPrior: trainingPrior, fallbacks: trainingFallbacks, outcome: outcome)
    }

    /// Installs a model fitted elsewhere (``fit(candidates:random:rows:)``).
    package func install(_ fitted: FittedModel) throws {
        trainingPrior = try FittedModel.value(fitted.trainingPrior)
        trainingFallbacks = fitted.problems
        install(try fitted.model(over: model))
    }
}
