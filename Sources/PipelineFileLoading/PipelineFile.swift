import LeadRecords
import PipelineSpec

/// A decoded pipeline file: where records come from, the stages they go through, and where they go.
public struct PipelineFile: Sendable {
    /// Records per chunk when the pipeline does not say: a chunk's raw bytes, records and rendered
    /// output then stay near a core's 1 MiB L2 cache, which matters most when two threads share the
    /// machine's L3 (1M leads at 2 jobs: 1.77 s against 1.85 s with 4096-record chunks).
    package static let defaultChunkSize = 1024
    /// Runs of a history the store keeps when `store.keep_runs` is not given: two months of weekly runs.
    public static let defaultKeepRuns = 8

    /// The file it was read from.
    public var path: String
    public var name: String
    public var input: InputSettings
    public var output: OutputSettings
    /// Canonical field → input column name, as written under `columns:`.
    public var columns: [ColumnMapping]
    /// Whether unmapped canonical fields are matched to input columns by name (`Email Address` → `email`).
    public var autoColumns: Bool
    public var stages: [StageInvocation]
    public var failIf: [FailCondition]
    public var storePath: String?
    public var storeLocation: SourceLocation?
    /// `store.keep_runs`: how many runs of the pipeline's history the store keeps; older ones are
    /// pruned after each successful run.
    public var storeKeepRuns: Int = PipelineFile.defaultKeepRuns
    /// `store.keep_days`: a run is pruned only once it is also older than this many days (by its reference
    /// time); `nil` when not given.
    public var storeKeepDays: Int?
    /// `max_memory` in bytes; `nil` when unset.
    public var maxMemory: Int?
    public var jobs: Int?
    public var chunkSize: Int
    /// Where `stages:` was written, for problems about the stage list as a whole.
    public var stagesLocation: SourceLocation?
    /// Where `input:` was written.
    public var inputLocation: SourceLocation?
}

/// `input:` of a pipeline file.
public struct InputSettings: Sendable {
    public var path: String?
    public var pathLocation: SourceLocation?
    /// `auto`, `csv`, `tsv`, `jsonl` or `xlsx`.
    public var format: String
    /// As written; `nil` or `auto` sniffs it from the header and first rows (except for TSV).
    public var delimiter: String?
    /// `input.encoding`: `auto`, `utf-8`, `windows-1252`, `iso-8859-1`, `mac-roman`, `utf-16`, `utf-16le` or `utf-16be`.
    public var encoding: String = "auto"
    /// `input.date_order`: how a date column of `01/02/2026`-style values is read when none of its values
    /// has a part over 12 to decide it: `mdy` or `dmy`.
    public var dateOrder: String = "mdy"
    public var hasHeader: Bool
    /// `input.skip_lines`: lines above the header to skip; `nil` for `auto`, which skips title lines.
    public var skipLines: Int? = nil
    public var maxRecordBytes: Int
    /// JSONL: how many first lines the columns are learned from; `nil` for `all`, every line of the input.
    public var schemaSampleLines: Int?
    /// xlsx: the sheet to read by name; `nil` for the first visible one.
    public var sheet: String?
}

/// `output:` of a pipeline file.
public struct OutputSettings: Sendable {
    public var path: String?
    public var format: String
    public var delimiter: String?
    public var rejectsPath: String?
    public var reportPath: String?
    /// `html_report`: the report rendered as one self-contained HTML page.
    public var htmlReportPath: String?
    public var mergedPath: String?
    /// `formula_guard`: prefix `'` to delimited values a spreadsheet would evaluate as a formula.
    public var guardsFormulas: Bool = false
    /// `columns`: the clean output's columns, in this order; `nil` writes every column.
    /// Names are checked against the schema when the pipeline is prepared (they may name columns stages add).
    public var columns: [OutputColumn]?
    /// Where `columns:` was written.
    package var columnsLocation: SourceLocation?
    /// `bom`: start delimited files with a UTF-8 byte order mark, which Excel needs to read them as UTF-8.
    public var byteOrderMark: Bool = false
    /// `line_ending: crlf`: end delimited rows in CRLF rather than LF.
    public var crlfLineEndings: Bool = false
    /// `rename`: the clean output's header names, column → name written (`norm_email: Email`).
    public var rename: [OutputRename] = []
    /// Where each path (`path`, `rejects`, `report`, `html_report`, `merged`) was written, for errors about the file it names.
    public var pathLocations: [String: SourceLocation] = [:]
    /// `split_by`: a column whose values each get a file of their own beside the clean output
    /// (`email_status` → `clean.valid.csv`, `clean.risky.csv`, …); checked against the stages when the pipeline is prepared.
    public var splitBy: String?
    /// Where `split_by` was written.
    public var splitByLocation: SourceLocation?
}

/// One entry of `output.rename`.
public struct OutputRename: Sendable, Equatable {
    public var column: String
    public var name: String
    public var location: SourceLocation?
}

/// One name of `output.columns`, with where it was written.
public struct OutputColumn: Sendable, Equatable {
    public var name: String
    public var location: SourceLocation?

    public init(name: String, location: SourceLocation? = nil) {
        self.name = name
        self.location = location
    }
}

/// One entry of `columns:`.
public struct ColumnMapping: Sendable {
    public var field: CanonicalField
    public var column: String
    public var location: SourceLocation?
    /// A date field's pattern (`{ column: "Last Activity Date", format: "dd.MM.yyyy HH:mm" }`); `nil`
    /// to decide it from the column's values.
    public var dateFormat: DatePattern?
}

/// One entry of `stages:`: a stage name with its decoded options.
public struct StageInvocation: Sendable {
    public var descriptor: StageDescriptor
    public var options: OptionValues
    public var location: SourceLocation?
    public var name: String { descriptor.name }
}

extension PipelineFile {
    /// The schema of the pipeline file's own keys (all but `stages:`, which is decoded against the stage registry).
    public static let schema = OptionSchema([
        OptionSpec("name", .string, default: .string("pipeline"), "A name for the pipeline, shown in the report."),
        OptionSpec("description", .string, "Free text for the reader."),
        OptionSpec("input", .object(inputSchema), "Where records come from."),
        OptionSpec("output", .object(outputSchema), "Where clean records, rejects and the report go."),
        OptionSpec("columns", .map(.string),
                   "Canonical field → input column, e.g. `email: \"E-mail Address\"`; a date field may name its format: "
                   + "`last_activity_at: { column: \"Last Activity Date\", format: \"dd.MM.yyyy HH:mm\" }`."),
        OptionSpec("auto_columns", .bool, default: .bool(true),
                   "Map unmapped canonical fields to input columns with a matching name (`Email`, `First Name`, and the headers of "
                   + "HubSpot, Salesforce, Pipedrive, Marketo, Apollo, ZoomInfo and Sales Navigator exports such as `Country/Region`)."),
        OptionSpec("fail_if", .map(.string),
                   "Metric → condition, e.g. `rejected_ratio: \"> 0.05\"`; the run exits 1 when one holds."),
        OptionSpec("store", .object(storeSchema),
                   "SQLite run store that gives weekly runs a memory (caches, snapshots): `store: out/leadhygiene.sqlite` "
                   + "or `store: { path: out/leadhygiene.sqlite, keep_runs: 8, keep_days: 90 }`."),
        OptionSpec("jobs", .integer, range: 1...256, "Threads that do the work, the one that reads and writes included; default: the number of cores. `--jobs` overrides."),
        OptionSpec("max_memory", .string,
                   "Most memory the run may use (`3GiB`, `800MB`); default: the cgroup's limit or the machine's memory. "
                   + "A whole-list stage (dedupe) that would need more fails cleanly with the figures instead of being killed."),
        OptionSpec("chunk_size", .integer, default: .integer(defaultChunkSize), range: 1...65_536, "Records per chunk handed to a worker."),
    ])

    /// `store:` written as a mapping; a plain path is short for `{ path: … }`.
    package static let storeSchema = OptionSchema([
        OptionSpec("path", .path, required: true, "The SQLite file, relative to the pipeline file's folder."),
        OptionSpec("keep_runs", .integer, default: .integer(defaultKeepRuns), range: 1...100_000,
                   "Runs of this pipeline's history to keep; older runs are pruned after each successful run "
                   + "(at least 1: decay compares with the last one). With keep_days and no keep_runs, only the last run "
                   + "is kept regardless of age."),
        OptionSpec("keep_days", .integer, range: 1...36_500,
                   "Days of this pipeline's history to keep, by each run's reference time: a run is pruned when it is beyond "
                   + "keep_runs and older than keep_days, so a run either keeps stays."),
    ])

    public static let inputSchema = OptionSchema([
        OptionSpec("path", .path, "Input file, relative to the pipeline file's folder; `-` reads standard input. "
                   + "`--input` (relative to the working directory) overrides."),
        OptionSpec("format", .choice(["auto", "csv", "tsv", "jsonl", "xlsx"]), default: .string("auto"),
                   "File format; `auto` goes by the extension (.csv, .tsv/.tab, .jsonl/.ndjson, .xlsx)."),
        OptionSpec("sheet", .string, "xlsx: the sheet to read, by its tab name; default: the first visible sheet."),
        OptionSpec("delimiter", .string, default: .string("auto"),
                   "Field delimiter for csv (one character, or `\\t`); `auto` picks `,` `;` tab or `|` from the header and first rows."),
        OptionSpec("encoding", .choice(["auto", "utf-8", "windows-1252", "iso-8859-1", "mac-roman", "utf-16", "utf-16le", "utf-16be"]),
                   default: .string("auto"),
                   "Character encoding; `auto`: a byte order mark decides, else valid UTF-8 is UTF-8, else Windows-1252 "
                   + "(Mac Roman when the lines end in a CR alone, as Excel for Mac's \"CSV (Macintosh)\" writes). "
                   + "Output is always UTF-8; only a stated `utf-8` rejects rows as `invalid_utf8`."),
        OptionSpec("date_order", .choice(["mdy", "dmy"]), default: .string("mdy"),
                   "How a date column of `01/02/2026`-style values is read when no value has a day over 12 to decide it."),
        OptionSpec("header", .bool, default: .bool(true), "Whether the first row holds column names."),
        OptionSpec("skip_lines", .integerOrWord(["auto"]), default: .string("auto"), range: 0...1000,
                   "Lines (xlsx: sheet rows) above the header to skip; `auto` skips title lines (only one cell filled, as a "
                   + "report's heading) above a header of three or more named columns, and says so."),
        OptionSpec("max_record_bytes", .integer, default: .integer(1_048_576), range: 256...1_073_741_824,
                   "Longest accepted row; longer rows are rejected as `record_too_long`."),
        OptionSpec("schema_sample_lines", .integerOrWord(["all"]), default: .string("all"), range: 1...1_000_000_000,
                   "JSONL: the columns are the keys of every line (`all`: a first pass over the file; standard input "
                   + "and pipes sample their first 1000 lines) or of this many first lines."),
    ])

    /// A `columns:` entry written as a mapping rather than a column name.
    package static let columnSchema = OptionSchema([
        OptionSpec("column", .string, required: true, "The input column."),
        OptionSpec("format", .string,
                   "Date fields: the column's pattern (`yyyy`, `yy`, `MM`, `M`, `dd`, `d`, `HH`, `mm`, `ss`, `a`); default: decided from its values."),
    ])

    public static let outputSchema = OptionSchema([
        OptionSpec("path", .path, "Clean output file; `-` writes standard output. `--output` overrides."),
        OptionSpec("format", .choice(["auto", "csv", "tsv", "jsonl"]), default: .string("auto"),
                   "File format; `auto` goes by the extension, else the input's format."),
        OptionSpec("delimiter", .string, "Field delimiter for csv output (and its rejects and merged files); default: the input's."),
        OptionSpec("bom", .bool, default: .bool(false),
                   "Start CSV/TSV files with a UTF-8 byte order mark, so Excel reads accents right."),
        OptionSpec("line_ending", .choice(["lf", "crlf"]), default: .string("lf"), "Row ending of CSV/TSV files."),
        OptionSpec("rename", .map(.string),
                   "Clean output header names, column → name (`norm_email: Email`), for a CRM import that matches by header."),
        OptionSpec("rejects", .path, "Rejected rows with line, stage, reason code and detail. `--rejects` overrides."),
        OptionSpec("report", .path, "Run report (JSON). `--report` overrides."),
        OptionSpec("html_report", .path,
                   "The run report as one self-contained HTML page (inline CSS and SVG charts, no JavaScript, no URL), "
                   + "published with the other outputs. `leadhygiene report html` renders any report.json the same way."),
        OptionSpec("merged", .path, "Rows merged into another (dedupe merge mode), with the line they were merged into."),
        OptionSpec("formula_guard", .bool, default: .bool(false),
                   "In CSV/TSV files, put `'` before values a spreadsheet would run as a formula (`=…`, `@…`, `+cmd|…`; numbers and phones stay)."),
        OptionSpec("columns", .list(.string),
                   "The clean output's columns, in this order: input columns and columns stages add (`norm_email`); "
                   + "default: all of them. Rejects and merged files keep every column."),
        OptionSpec("split_by", .string,
                   "`email_status`: also write the clean rows per status beside the output, for an ESP upload: "
                   + "`clean.valid.csv`, `clean.risky.csv`, `clean.invalid.csv`, `clean.unknown.csv`, each with the header, "
                   + "in the output's format, every one of them on each run. Needs the email_check stage."),
    ])
}
