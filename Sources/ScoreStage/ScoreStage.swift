import Foundation
import LeadFacts
import LeadRecords
import PipelineSpec
import RowExpressions

/// `score`: fits each lead to an ideal customer profile with declarative, explainable rules.
///
/// Rules sit in named groups (`size`, `persona`, `penalties`); a rule's condition (``RowExpression``)
/// earns its points, a group adds its rules' points up to its cap, and the score is the sum. Every row
/// says why (`<name>_reasons`) and which groups could not be judged because a value they read was
/// missing (`<name>_missing`), so an empty field shows instead of silently scoring zero. Tiers cut the
/// score (`A: ">= 70"`), gates keep a tier for rows that also pass a condition, and `exclude:` rules
/// reject rows outright with a reason code.
public struct ScoreStage: Stage {
    static let ruleSchema = OptionSchema([
        OptionSpec("when", .string, required: true, "Condition on the row (see docs/stages/score.md): `title matches_any [vp, head of]`."),
        OptionSpec("points", .integer, range: -100_000...100_000, "Points the rule adds when its condition holds (negative subtracts)."),
        OptionSpec("exclude", .string,
                   "Reject the row when the condition holds, with this reason code (snake_case), or `true` for score_excluded."),
        OptionSpec("label", .string, "What the reasons column says for this rule; by default the columns it read and their values."),
    ])

    static let groupSchema = OptionSchema([
        OptionSpec("name", .string, required: true, "The group's name, as the reasons and missing columns and the report show it."),
        OptionSpec("cap", .integer, range: 0...100_000, "The most points the group adds, whatever its matching rules add up to."),
        OptionSpec("rules", .list(.object(ruleSchema)), required: true, "The group's rules; every rule whose condition holds counts."),
    ])

    static let labelsSchema = OptionSchema([
        OptionSpec("path", .path, required: true, "CSV of outcomes from the CRM, one row per contact."),
        OptionSpec("column", .string, default: .string("outcome"), "The column saying won or lost."),
        OptionSpec("email_column", .string, default: .string("email"), "The column with the contact's email address, the key to the leads."),
    ])

    public static let descriptor = StageDescriptor(
        name: "score",
        summary: "Scores leads against an ideal customer profile with declarative rules, tiers and gates, explaining every row.",
        options: OptionSchema([
            OptionSpec("name", .string, default: .string("icp"), "Prefix of the added columns (<name>_score, <name>_tier, …)."),
            OptionSpec("groups", .list(.object(groupSchema)), required: true, "Named groups of rules, each with an optional cap."),
            OptionSpec("tiers", .map(.string), "Tier → score condition, best first (`A: \">= 70\"`); `else` names the rest."),
            OptionSpec("gates", .map(.string), "Tier → condition a row must also meet for it; a row that fails drops to the next tier."),
            OptionSpec("labels", .object(labelsSchema), "Won/lost outcomes keyed by email, for conversion per tier in the report."),
        ]),
        optionalFields: [.email],
        addedColumns: ["<name>_score", "<name>_tier", "<name>_reasons", "<name>_missing"],
        reasonCodes: [.scoreExcluded])

    let name: String
    let groups: [ScoreGroup]
    let tiers: [ScoreTier]
    let labels: OutcomeLabels?

    public init(options: OptionValues, context: StageContext) throws {
        name = options.defaultedString("name")
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
            throw OptionProblem(option: "name", "name is the prefix of the added columns: a word such as icp")
        }
        groups = try ScoreRulesDecoder.groups(options)
        tiers = try ScoreRulesDecoder.tiers(options)
        if options.isSet("labels"), !context.isLintOnly {
            let labelOptions = options.object("labels")
            labels = try OutcomeLabels(path: labelOptions.defaultedString("path"), outcomeColumn: labelOptions.defaultedString("column"),
                                       emailColumn: labelOptions.defaultedString("email_column"))
        } else {
            labels = nil
        }
    }

    public func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        .streaming(try Bound(stage: self, schema: &schema, columns: columns))
    }
}
