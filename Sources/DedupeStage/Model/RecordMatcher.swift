import Dispatch
import Foundation
import LeadFacts
import PipelineSpec

/// Reads one column's raw value in a row (the empty string when the row has none).
public typealias ColumnReader = @Sendable (_ row: Int) -> String

/// The matcher over one list: prepares the fields, generates candidate pairs from the blocking
/// rules, learns the Fellegi–Sunter weights and scores pairs. ``EntityClustering`` turns its links into entities.
///
/// Rows are plain indices `0..<rowCount`; the stage maps them to records.
public final class RecordMatcher: Sendable {
    public let settings: DedupeSettings
    public let rowCount: Int
    /// The compared fields, in ``DedupeSettings/fields`` order.
    public let fields: [PreparedField]
    /// Fields added only to compute blocking keys over columns that are not compared.
    let blockingOnlyFields: [PreparedField]
    /// For each field, the field it may be swapped with.
    let swapPartner: [Int?]
    /// For each field, the field whose disagreement leaves only its exact level (``FieldSpec/conditionalOn``).
    let conditionOf: [Int?]
    /// For each field, the field that makes it redundant when it shows the same employer (``FieldSpec/impliedBy``).
    let impliedBy: [Int?]
    /// For each field, the fields that imply it, nearest first: implication is transitive (the email implies
    /// the company, the company the city, so a shared work domain implies the city).
    let impliedChain: [[Int]]
    /// The given- and family-name fields of the lead rule (a name that differs outweighs the employer's facts).
    let nameFields: [Int]
    /// The lead rule "two work mailboxes at one employer with different family names are two people", resolved
    /// to field indices (nil when the list lacks an email or family-name field).
    let distinctMailboxes: (email: Int, familyName: Int, strong: [Int])?
    /// Per rule: its terms, resolved to a compared field or a blocking-only field, and their transforms.
    let ruleTerms: [[(field: Int, extra: Bool, transform: BlockingTransform)]]
    /// Per rule: the compared fields its key is built from (their levels are biased within its blocks).
    let ruleFields: [[Int]]
    /// The learned model (set by ``train(labels:)``).
    public internal(set) nonisolated(unsafe) var model: FellegiSunterModel
    /// The share of matches among blocked pairs that EM found.
    public internal(set) nonisolated(unsafe) var trainingPrior: Double = 0
    /// Fields whose learned m was not used (EM did not settle for them, or learned absurd weights), and why;
    /// their m came from ``ComparatorKind/priorM``.
    public internal(set) nonisolated(unsafe) var trainingFallbacks: [(String, WeightGuard.Problem)] = []
    /// Per field: log2 of u at the exact level, for term-frequency adjustments.
    nonisolated(unsafe) var exactU: [Double]
    /// Per field: the pseudo-rows of ``SmallListPrior`` and the count of the value among them, for term frequencies.
    let termFrequencyPrior: [(rows: Double, mass: Double)]
    /// For a slice of a list: per rule, the whole list's oversized blocks by portable key (``portableBlockKeys()``);
    /// blocks are then keyed by content and skipped when the whole list's block is too large, not this slice's.
    let wholeListOversized: [Set<UInt64>]?

    /// Prepares the fields and blocking keys.
    ///
    /// - Parameter columns: the values of every column a field or blocking rule names, one per row.
    public convenience init(settings: DedupeSettings, rowCount: Int, columns: [String: [String]]) throws(BlockingRuleError) {
        try self.init(settings: settings, rowCount: rowCount, readers: Self.readers(of: columns))
    }

    /// Readers over plain arrays (an empty array reads as empty values).
    static func readers(of columns: [String: [String]]) -> [String: ColumnReader] {
        var readers: [String: ColumnReader] = [:]
        for (name, values) in columns {
            if values.isEmpty {
                readers[name] = { _ in "" }
            } else {
                readers[name] = { row in values[row] }
            }
        }
        return readers
    }

    /// Prepares the fields and blocking keys, reading each row's raw values through `readers`, so the
    /// columns are never gathered into arrays (on a million rows that is 16 MB per column, and the
    /// values stay where the records hold them).
    ///
    /// - Parameter readers: for every column a field or blocking rule names, its value in a row.
    /// - Parameter globals: for a slice of a list (a distributed run's task), what the whole list counted: the
    ///   slice's pairs then weigh and block as the whole list's would.
    public init(settings: DedupeSettings, rowCount: Int, readers: [String: ColumnReader],
                globals: DedupeGlobals? = nil) throws(BlockingRuleError) {
        precondition(settings.fields.count <= ComparisonPattern.maxFields, "at most 16 compared fields")
        self.settings = settings
        self.rowCount = rowCount
        let specs = settings.fields
        let fieldReaders: [ColumnReader] = specs.map { spec in
            let cols = spec.columns.compactMap { readers[$0] }
            if cols.isEmpty { return { _ in "" } }
            if cols.count == 1 { return cols[0] }
            return { row in cols.map { $0(row) }.filter { !$0.isEmpty }.joined(separator: " ") }
        }
        fields = ResultSlots.map(specs.count) { f in
            PreparedField(kind: specs[f].comparator, rowCount: rowCount, companyKey: settings.companyKey,
                          wholeList: globals.map { ($0.counts[f], $0.nonNull[f]) }, value: fieldReaders[f])
        }
        wholeListOversized = globals?.oversized.map { Set($0.compactMap(Hex.parseWord)) }
        swapPartner = specs.map { spec in spec.swapWith.flatMap { name in specs.firstIndex { $0.name == name } } }
        conditionOf = specs.map { spec in spec.conditionalOn.flatMap { name in specs.firstIndex { $0.name == name } } }
        let implied = specs.map { spec in spec.impliedBy.flatMap { name in specs.firstIndex { $0.name == name } } }
        impliedBy = implied
        impliedChain = specs.indices.map { f in
            var chain: [Int] = [], next = implied[f]
            while let i = next, i != f, !chain.contains(i) { chain.append(i); next = implied[i] }
            return chain
        }
        nameFields = settings.distinctMailboxes.map { rule in
            specs.indices.filter { specs[$0].comparator == .name && (specs[$0].name == rule.familyName || specs[$0].swapWith == rule.familyName) }
        } ?? []
        if let rule = settings.distinctMailboxes,
           let e = specs.firstIndex(where: { $0.name == rule.email && $0.comparator == .email }),
           let l = specs.firstIndex(where: { $0.name == rule.familyName }) {
            distinctMailboxes = (e, l, rule.strongIdentifiers.compactMap { name in specs.firstIndex { $0.name == name } })
        } else {
            distinctMailboxes = nil
        }

        // Resolve blocking terms: a field name, `<field>_key`, or a plain column compared exactly.
        var extraColumns: [String] = []
        var resolved: [[(field: Int, extra: Bool, transform: BlockingTransform)]] = []
        for rule in settings.blocking {
            var terms: [(Int, Bool, BlockingTransform)] = []
            for term in rule.terms {
                if let f = specs.firstIndex(where: { $0.name == term.source }) {
                    terms.append((f, false, term.transform))
                } else if term.source.hasSuffix("_key"),
                          let f = specs.firstIndex(where: { $0.name == String(term.source.dropLast(4)) }) {
                    terms.append((f, false, term.transform))
                } else if readers[term.source] != nil {
                    if !extraColumns.contains(term.source) { extraColumns.append(term.source) }
                    terms.append((extraColumns.firstIndex(of: term.source)!, true, term.transform))
                } else {
                    throw BlockingRuleError("blocking rule '\(rule.text)' names '\(term.source)', which is neither a compared field nor a column")
                }
            }
            resolved.append(terms)
        }
        ruleFields = resolved.map { terms in Array(Set(terms.filter { !$0.extra }.map(\.field))).sorted() }
        let extras = extraColumns
        blockingOnlyFields = ResultSlots.map(extras.count) { PreparedField(kind: .exact, rowCount: rowCount, value: readers[extras[$0]]!) }
        ruleTerms = resolved
        model = FellegiSunterModel(fieldNames: specs.map(\.name), levelNames: specs.map(\.comparator.levelNames),
                                   disagreeing: specs.map(\.comparator.disagreementLevels))
        exactU = []
        let listRows = globals?.rows ?? rowCount
        termFrequencyPrior = fields.map { field in
            let rows = SmallListPrior.pseudoRows(rows: listRows)
            return (rows, rows * field.kind.priorU[Int(field.kind.exactLevel)])
        }
    }
}
