import PipelineSpec

/// The option schema of the `dedupe` stage: the single source of decoding, lint and `leadhygiene stages`.
enum DedupeStageOptions {
    static let field = OptionSchema([
        OptionSpec("name", .string, required: true, "Name used in blocking rules, explanations and the report."),
        OptionSpec("columns", .list(.string), required: true, "Input column(s) compared; several are joined with a space."),
        OptionSpec("comparator", .choice(ComparatorKind.allCases.map(\.rawValue)), default: .string("string"),
                   "How two values are compared."),
        OptionSpec("term_frequency", .bool, default: .bool(false),
                   "Weigh an exact agreement by the value's rarity (a shared common value is weak evidence)."),
        OptionSpec("swap_with", .string, "Another field this one may be swapped with (first/last name)."),
        OptionSpec("conditional_on", .string,
                   "When this other field disagrees, only an exact agreement of this one counts (city or work email after a job change)."),
        OptionSpec("implied_by", .string,
                   "Not compared when this other field already shows the same employer (company when the work email matches)."),
    ])

    static let schema = OptionSchema([
        OptionSpec("mode", .choice(["annotate", "merge"]), default: .string("annotate"),
                   "annotate keeps every row and adds entity columns; merge keeps one golden row per entity."),
        OptionSpec("fields", .list(.object(field)),
                   "Compared fields; default: the canonical lead fields (norm_* columns when normalize ran)."),
        OptionSpec("blocking", .list(.list(.string)),
                   "Blocking rules: each a key of terms `field[.transform]` joined by + (or a list); default: lead rules."),
        OptionSpec("threshold", .number, default: .number(0.9), range: 0...1, "Match probability at or above which two rows are linked."),
        OptionSpec("max_block_size", .integer, default: .integer(1000), range: 2...1_000_000,
                   "Blocks with more rows are skipped (a key that common is no evidence) and counted in the report."),
        OptionSpec("random_pairs", .integer, default: .integer(400_000), range: 1000...100_000_000, "Most random pairs sampled to estimate u (5 per row, at least 200,000, up to this)."),
        OptionSpec("em_iterations", .integer, default: .integer(100), range: 0...1000, "Most expectation–maximisation rounds."),
        OptionSpec("cluster_coherence", .number, default: .number(0.5), range: 0...1,
                   "Two groups of rows merge only when more than this share of their cross pairs (or all) match with probability ≥ 0.5."),
        OptionSpec("review", .outputPath, "Write pairs near the threshold and refused chain links to this CSV."),
        OptionSpec("review_min", .number, default: .number(0.5), range: 0...1, "Lowest match probability written to the review file."),
        OptionSpec("review_max", .number, default: .number(0.99), range: 0...1, "Linked pairs below this probability are written to the review file."),
        OptionSpec("labels", .path, "Labelled pairs CSV (left,right,match by record key) to train m or to evaluate."),
        OptionSpec("labels_use", .choice(["train", "evaluate"]), default: .string("train"),
                   "train: m from the labelled matches instead of EM; evaluate: EM as usual, report precision/recall on the labels."),
        OptionSpec("record_key", .string,
                   "Column identifying a row across runs (entity IDs, labels, review); default: the record_id field, else the email."),
        OptionSpec("explain", .bool, default: .bool(true), "Add a match_explain column: each field's level and weight for the row's best link."),
        OptionSpec("survivorship", .map(.choice(SurvivorshipRule.allCases.map(\.rawValue))),
                   "Merge mode: rule per column (most_recent, most_complete, most_frequent, source_priority)."),
        OptionSpec("survivorship_default", .choice(SurvivorshipRule.allCases.map(\.rawValue)), default: .string("most_recent"),
                   "Merge mode: rule for columns not listed in survivorship."),
        OptionSpec("source_priority", .list(.string), "Merge mode: sources from most to least trusted, for source_priority."),
    ])
}
