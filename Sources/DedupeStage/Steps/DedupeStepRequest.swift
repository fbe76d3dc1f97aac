import Foundation

/// One step of dedupe, asked of a run by `leadhygiene dedupe …` (through ``StageServices``), so a distributed
/// run (scripts/leadhygiene_spark.py) can spread the matcher's work over many processes.
///
/// The run reads an envelope's rows as `run --envelope` does; dedupe then does only the step and writes its
/// lines through `emit`. Every line names rows by their input line (`seq`), never by where they sit in a slice.
public final class DedupeStepRequest: Sendable {
    public enum Step: Sendable {
        /// Per row: its block key per rule and its comparison key per field, and with `compactRows` the row cut to
        /// the columns compare and score read (a distributed run ships that to them instead of the whole row).
        case keys(compactRows: Bool)
        /// The random pairs training draws over a list of `rows` rows, by row index (0-based, in input order).
        case sample(rows: Int)
        /// The comparison pattern of each pair (`dependencies: false` for random pairs, as training measures u).
        case compare(pairs: [LinePair], dependencies: Bool)
        /// The model, from the candidate pairs' and random pairs' histograms over a list of `rows` rows.
        case fit(candidates: [RuledPattern: Int], random: [ComparisonPattern: Int], rows: Int)
        /// The pairs at or above the threshold, weighed with the fitted model and the whole list's counts.
        case score(pairs: [LinePair], model: FittedModel, globals: DedupeGlobals)
        /// The entities of whole connected components, written as a run writes them, with the fitted model. Each
        /// entity is reported through `emit` (``ReportedEntity``), for the driver to name every task's entities again
        /// (`dedupe assign`); `assigned` holds the IDs it gave, by the line of the entity's first row, which replace
        /// the task's own.
        case cluster(model: FittedModel, globals: DedupeGlobals, assigned: [Int: String])
    }

    public let step: Step
    /// Where the step's lines go (each without its newline).
    let emit: @Sendable ([UInt8]) -> Void

    public init(step: Step, emit: @escaping @Sendable ([UInt8]) -> Void) {
        self.step = step
        self.emit = emit
    }
}
