import ArgumentParser
import DedupeStage
import Foundation
import LeadHygiene
import PipelineSpec

/// `leadhygiene explain-match`: which comparisons made dedupe match, or not match, two rows.
struct ExplainMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain-match",
        abstract: "Explain dedupe's verdict on two rows: each field's comparison level and weight, the total and the match probability.",
        discussion: """
        Rows are named by the input line they start on, the numbers `duplicate_of` and the rejects file use. \
        The pipeline runs as far as its first dedupe stage on the whole input (the weights are learned from all of \
        it) and writes nothing: no output, no report, no entity IDs to the store. It makes no DNS lookups or web requests: \
        email_check checks syntax and lists only and scrape adds its columns empty. \
        Exit codes: 0 explained; 1 the input could not be read; 2 usage, pipeline-file error, or a line dedupe did not compare.
        """)

    @Argument(help: "The pipeline file (YAML).") var pipeline: String
    @Argument(help: "The input line of the first row.") var lineA: Int
    @Argument(help: "The input line of the second row.") var lineB: Int
    @Option(help: "Input file, overriding the pipeline's input.path.") var input: String?
    @Option(help: "Threads that do the work, reading and writing included (default: number of cores).") var jobs: Int?
    @Flag(help: "Print one JSON object instead of a table.") var json = false
    @OptionGroup var logging: LogOptions

    func validate() throws {
        if lineA == lineB { throw ValidationError("give two different lines") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let log = try CommandLog("explain-match", logging)
        log.started(["pipeline": .string(pipeline), "line_a": .stringConvertible(lineA), "line_b": .stringConvertible(lineB)])
        let inspection: PairInspection
        do {
            inspection = try MatchInspector(pipelinePath: pipeline, overrides: RunOverrides(input: input, jobs: jobs))
                .inspect(lines: lineA, lineB)
        } catch let error as PairInspectionError {
            printError("error: \(error.description)")
            throw ExitCode(ExitStatus.usage)
        } catch {
            throw ExitStatus.exit(for: error)
        }
        print(json ? Self.json(inspection) : Self.table(inspection), terminator: "")
        log.finished("explained the pair")
    }

    static func table(_ inspection: PairInspection) -> String {
        let explanation = inspection.explanation
        let fieldWidth = max(5, explanation.contributions.map(\.field.count).max() ?? 0)
        let valueWidth = min(32, max(5, inspection.values.flatMap { [$0.0.count, $0.1.count] }.max() ?? 0))
        func pad(_ text: String, _ n: Int) -> String {
            let cut = text.count > n ? String(text.prefix(n - 1)) + "…" : text
            return cut + String(repeating: " ", count: max(0, n - cut.count))
        }
        func weight(_ w: Double) -> String { String(format: "%+7.2f", w) }
        var text = "lines \(inspection.lines.0) and \(inspection.lines.1)\n"
        text += "  \(pad("field", fieldWidth))  \(pad("line \(inspection.lines.0)", valueWidth))  \(pad("line \(inspection.lines.1)", valueWidth))  \(pad("level", 12))  weight\n"
        for (i, c) in explanation.contributions.enumerated() {
            let values = i < inspection.values.count ? inspection.values[i] : ("", "")
            text += "  \(pad(c.field, fieldWidth))  \(pad(values.0, valueWidth))  \(pad(values.1, valueWidth))  \(pad(c.level, 12))  \(weight(c.weight))"
            text += c.note.map { "  (\($0))" } ?? ""
            text += "\n"
        }
        let blank = String(repeating: " ", count: 2 * valueWidth + 4)
        text += "  \(pad("prior", fieldWidth))  \(blank)\(pad("", 12))  \(weight(explanation.priorWeight))\n"
        if let rule = explanation.rule {
            text += "  \(pad("rule", fieldWidth))  \(blank)\(pad(rule, 12))  two work mailboxes at one employer and different family names: different people\n"
        }
        text += "  \(pad("total", fieldWidth))  \(blank)\(pad("", 12))  \(weight(explanation.weight))\n"
        let verdict = explanation.probability >= inspection.threshold ? "at or above" : "below"
        text += String(format: "match probability %.4f, %@ the threshold %.2f; ", explanation.probability, verdict, inspection.threshold)
        text += inspection.sameEntity ? "same entity\n" : "different entities\n"
        return text
    }

    static func json(_ inspection: PairInspection) -> String {
        let explanation = inspection.explanation
        let fields = explanation.contributions.enumerated().map { i, c in
            let values = i < inspection.values.count ? inspection.values[i] : ("", "")
            var entries: [(String, ReportValue)] = [
                ("field", .string(c.field)), ("values", .array([.string(values.0), .string(values.1)])),
                ("level", .string(c.level)), ("weight", .number(c.weight)),
            ]
            if let note = c.note { entries.append(("skipped_because", .string(note))) }
            return ReportValue.object(entries)
        }
        var entries: [(String, ReportValue)] = [
            ("lines", .array([.integer(inspection.lines.0), .integer(inspection.lines.1)])),
            ("fields", .array(fields)),
            ("prior_weight", .number(explanation.priorWeight)),
        ]
        if let rule = explanation.rule { entries.append(("rule", .string(rule))) }
        entries += [
            ("weight", .number(explanation.weight)),
            ("match_probability", .number(explanation.probability)),
            ("threshold", .number(inspection.threshold)),
            ("same_entity", .bool(inspection.sameEntity)),
        ]
        return ReportValue.object(entries).json() + "\n"
    }
}
