import ArgumentParser
import LeadHygiene
import PipelineSpec

/// `leadhygiene stages [--markdown [STAGE]]`: the stage reference, as text or as the Markdown that
/// `make docs` copies into `docs/stages/<stage>.md`.
struct StagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages",
        abstract: "List every stage with its options, types and defaults.",
        discussion: """
            --markdown prints each stage's options table, added columns and reason codes in Markdown, each part \
            between <!-- BEGIN GENERATED: PART STAGE --> and <!-- END GENERATED --> markers, as in docs/stages/.
            """)

    @Flag(help: "Print Markdown tables, as in docs/stages/.")
    var markdown = false

    @Argument(help: "Only this stage (with --markdown).")
    var stage: String?

    func validate() throws {
        guard let stage else { return }
        guard markdown else { throw ValidationError("a STAGE is printed only with --markdown") }
        let names = StageRegistry.descriptors.map(\.name)
        guard names.contains(stage) else {
            throw ValidationError("unknown stage '\(stage)'\(NearestName.hint(for: stage, among: names))")
        }
    }

    func run() {
        guard markdown else { return print(StageCatalog.stagesText(), terminator: "") }
        let descriptors = StageRegistry.descriptors.filter { stage == nil || $0.name == stage }
        print(StageReference.markdown(for: descriptors), terminator: "")
    }
}
