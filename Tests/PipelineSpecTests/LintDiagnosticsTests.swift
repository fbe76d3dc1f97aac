import LeadHygiene
import LeadRecords
import PipelineFileLoading
import PipelineSpec
import TestSupport
import Testing

/// A stage that needs the email field, to check lint's "unmapped required field" message.
struct NeedsEmailStage: Stage {
    static let descriptor = StageDescriptor(
        name: "needs_email", summary: "Test stage that requires an email column.",
        options: OptionSchema([
            OptionSpec("threshold", .number, default: .number(0.5), "A number."),
            OptionSpec("mode", .choice(["keep", "flag", "reject"]), default: .string("flag"), "A choice."),
            OptionSpec("pattern", .string, "Checked by the stage itself."),
        ]),
        requiredFields: [.email])

    init(options: OptionValues, context: StageContext) throws {
        if options.string("pattern") == "(" { throw OptionProblem(option: "pattern", "'(' is not a valid pattern") }
    }
    func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage { .streaming(Unchanged()) }

    /// Leaves every row as it is.
    struct Unchanged: StreamingStage {
        func emptySummary() -> NoFigures { NoFigures() }
        func process(_ records: inout [Record], counting summary: inout NoFigures) {}
        func report(_ summary: NoFigures) -> [(String, ReportValue)] { [] }
    }
}

@Suite("Pipeline-file diagnostics")
struct LintDiagnosticsTests {
    let registry: [any Stage.Type] = StageRegistry.stages + [NeedsEmailStage.self]

    /// Lints `yaml` (with an input file beside it) and returns the diagnostics as `LINE:COL: message` strings.
    func lint(_ yaml: String, input: String = "Email,Name\na@x.com,Ann\n") throws -> [String] {
        try withTemporaryDirectory { dir in
            try dir.write("leads.csv", input)
            let path = try dir.write("p.yml", yaml.replacingOccurrences(of: "DIR", with: dir.url.path))
            return PipelineLinter.lint(path: path, registry: registry).map { "\($0.location): \($0.message)" }
        }
    }

    @Test func acceptsAValidPipeline() throws {
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        stages:
          - normalize: { overwrite: true }
          - needs_email: {}
        """) == [])
    }

    @Test func pointsAtAnUnknownStageAndSuggestsTheNearestName() throws {
        let found = try lint("""
        input: { path: DIR/leads.csv }
        stages:
          - normalize: {}
          - normalise: {}
        """)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("4:5: unknown stage 'normalise'; did you mean 'normalize'?") == true)
    }

    @Test func pointsAtAnUnknownOptionWithDidYouMean() throws {
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        stages:
          - normalize:
              overwrit: true
        """) == ["4:7: unknown option 'overwrit' in stage 'normalize'; did you mean 'overwrite'?"])
    }

    @Test func pointsAtAValueOfTheWrongType() throws {
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        stages:
          - needs_email: { threshold: high, mode: drop }
        """) == [
            "3:31: option 'threshold' of stage 'needs_email' expects a number, found 'high'",
            "3:43: option 'mode' of stage 'needs_email' must be one of keep, flag, reject, found 'drop'",
        ])
    }

    @Test func pointsAtASchemaSampleThatIsNeitherANumberNorAll() throws {
        #expect(try lint("""
        input:
          path: DIR/leads.csv
          schema_sample_lines: many
        stages: [normalize]
        """) == ["3:24: option 'schema_sample_lines' of option 'input' of pipeline file expects an int or 'all', found 'many'"])
        #expect(try lint("""
        input:
          path: DIR/leads.csv
          schema_sample_lines: al
        stages: [normalize]
        """) == ["3:24: option 'schema_sample_lines' of option 'input' of pipeline file expects an int or 'all', found 'al'; did you mean 'all'?"])
        #expect(try lint("""
        input:
          path: DIR/leads.csv
          schema_sample_lines: 0
        stages: [normalize]
        """) == ["3:24: option 'schema_sample_lines' of option 'input' of pipeline file must be within 1…1000000000, found 0"])
    }

    @Test(arguments: [
        ("", nil), ("schema_sample_lines: all", nil), ("schema_sample_lines: 5000", 5000), ("schema_sample_lines: 10_000", 10_000),
    ] as [(String, Int?)])
    func decodesASchemaSampleOfAllOrANumber(setting: String, lines: Int?) throws {
        let loader = PipelineFileLoader(stages: registry.map { $0.descriptor })
        let pipeline = try loader.decode("input: { path: in.jsonl, \(setting) }\nstages: [normalize]\n", file: "p.yml")
        #expect(pipeline.input.schemaSampleLines == lines)
    }

    @Test func reportsAMissingInputFileAtItsPath() throws {
        #expect(try lint("""
        name: x
        input:
          path: DIR/nope.csv
        stages: [normalize]
        """).first?.hasPrefix("3:3: input file '") == true)
    }

    @Test func reportsAPipelineWithoutInput() throws {
        #expect(try lint("stages: [normalize]\n") == ["1:1: no input: set `input: { path: FILE }` or pass --input FILE (- for standard input)"])
    }

    @Test func reportsAnUnmappedRequiredFieldAtTheStage() throws {
        let found = try lint("""
        input: { path: DIR/leads.csv }
        stages:
          - needs_email: {}
        """, input: "Contact,Name\nx,Ann\n")
        #expect(found == ["3:5: stage 'needs_email' needs the email field, but no input column is mapped to it; add `columns: { email: \"Your Column\" }`"])
    }

    @Test func reportsAMappedColumnThatIsNotInTheHeader() throws {
        let found = try lint("""
        input: { path: DIR/leads.csv }
        columns: { email: Emial }
        stages: [normalize]
        """)
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("2:12: column 'Emial' (for email) is not in the input header; did you mean 'Email'?"))
    }

    @Test func reportsUnknownTopLevelKeysAndFields() throws {
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        colums: { email: Email }
        stages: [normalize]
        """) == ["2:1: unknown key 'colums' in pipeline file; did you mean 'columns'?"])
        let unknownField = try lint("""
        input: { path: DIR/leads.csv }
        columns: { emial: Email }
        stages: [normalize]
        """)
        #expect(unknownField.first?.hasPrefix("2:12: unknown field 'emial' under columns; did you mean 'email'?") == true)
    }

    @Test func pointsAtAnUnknownOutputColumnAndSuggestsTheNearestName() throws {
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        output:
          columns:
            - Email
            - norm_emial
        stages: [normalize]
        """) == ["5:7: output column 'norm_emial' is neither an input column nor one a stage adds; did you mean 'norm_email'?"])
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        output: { columns: [Email, nmae] }
        stages: [normalize]
        """) == ["2:28: output column 'nmae' is neither an input column nor one a stage adds; did you mean 'Name'?"])
    }

    @Test func reportsAnOutputColumnListedTwiceAtItsSecondOccurrence() throws {
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        output:
          columns: [Email, Name, Email]
        stages: [normalize]
        """) == ["3:26: output column 'Email' is listed twice (first at 3:13)"])
    }

    @Test func reportsAnEmptyOutputColumnList() throws {
        let message = "output columns is empty; list the columns the output should have, or remove `columns:` to keep them all"
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        output:
          columns: []
        stages: [normalize]
        """) == ["3:3: \(message)"])
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        output:
          columns:
        stages: [normalize]
        """) == ["3:3: \(message)"])
    }

    @Test func acceptsAnOutputColumnOnlyWhenTheStageThatAddsItRuns() throws {
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        output: { columns: [Name, norm_email] }
        stages: [normalize]
        """) == [])
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        output: { columns: [Name, norm_email] }
        stages: [needs_email]
        """) == ["2:27: output column 'norm_email' is neither an input column nor one a stage adds"])
    }

    @Test func decodesOutputColumnsInTheirOrderAndLeavesThemUnsetByDefault() throws {
        let loader = PipelineFileLoader(stages: registry.map { $0.descriptor })
        let chosen = try loader.decode("input: { path: in.csv }\noutput: { columns: [b, a, c] }\nstages: [normalize]\n", file: "p.yml")
        #expect(chosen.output.columns?.map(\.name) == ["b", "a", "c"])
        let all = try loader.decode("input: { path: in.csv }\nstages: [normalize]\n", file: "p.yml")
        #expect(all.output.columns == nil)
    }

    @Test func reportsAStageOptionProblemAtTheOption() throws {
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        stages:
          - needs_email:
              pattern: "("
        """) == ["4:7: stage 'needs_email': '(' is not a valid pattern"])
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirPosition() throws {
        let found = try lint("input: { path: DIR/leads.csv\nstages: [normalize]\n")
        #expect(found.count == 1)
        #expect(found[0].contains("YAML syntax"))
        #expect(found[0].hasPrefix("2:"))
    }

    @Test func reportsBadFailIfConditions() throws {
        #expect(try lint("""
        input: { path: DIR/leads.csv }
        stages: [normalize]
        fail_if: { rejected_ratio: "more than 5", rejectd_ratio: "> 1" }
        """) == [
            "3:12: fail_if 'rejected_ratio' needs a condition such as \"> 0.05\" or \">= 5%\", found 'more than 5'",
            "3:43: unknown fail_if metric 'rejectd_ratio'; did you mean 'rejected_ratio'?; use one of email_unknown_ratio, merged_ratio, out_ratio, rejected_ratio, rows_in, rows_merged, rows_out, rows_rejected or reject_reasons.<code>",
        ])
    }
}

@Suite("fail_if conditions")
struct FailConditionTests {
    @Test(arguments: [
        ("> 0.05", 0.06, true), ("> 0.05", 0.05, false), (">= 5%", 0.05, true), ("< 100", 99.0, true),
        ("== 0", 0.0, true), ("!= 0", 0.0, false), ("<= 1e3", 1000.0, true),
    ])
    func evaluatesTheComparison(text: String, value: Double, holds: Bool) throws {
        let condition = try #require(FailCondition(metric: "rows_out", condition: text))
        #expect(condition.holds(for: value) == holds)
    }

    @Test func refusesTextThatIsNotACondition() {
        #expect(FailCondition(metric: "rows_out", condition: "lots") == nil)
        #expect(FailCondition(metric: "rows_out", condition: "> many") == nil)
    }
}

@Suite("Stage reference")
struct StageCatalogTests {
    @Test func listsEveryOptionOfEveryRegisteredStageWithItsTypeAndDefault() {
        let text = StageCatalog.stagesText()
        for descriptor in StageRegistry.descriptors {
            #expect(text.contains("\(descriptor.name)  —  "))
            for option in descriptor.options.options {
                var line = "\(option.name): \(option.type.displayName)"
                if let value = option.defaultValue { line += " = \(value)" }
                #expect(text.contains(line), "missing option line: \(line)")
            }
        }
        #expect(text.contains("overwrite: bool = false"))
        #expect(text.contains("schema_sample_lines: int|all = all (1…1000000000)  —  "))
    }

    @Test func everyNumericOptionHasARangeThatTheReferenceShows() {
        func check(_ schema: OptionSchema, _ context: String) {
            for option in schema.options {
                switch option.type {
                case .integer, .number, .integerOrWord:
                    #expect(option.range != nil, "\(context): option \(option.name) has no range")
                case .object(let nested), .list(.object(let nested)), .map(.object(let nested)):
                    check(nested, context + "." + option.name)
                default:
                    break
                }
            }
        }
        for descriptor in StageRegistry.descriptors { check(descriptor.options, descriptor.name) }
        check(PipelineFile.schema, "pipeline file")
        #expect(StageCatalog.stagesText().contains("chunk_size: int = 1024 (1…65536)"))
    }
}
