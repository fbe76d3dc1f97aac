import DecayStage
import EmailCheckStage
import LeadRecords
import PipelineExecution
import PipelineSpec

extension ActiveRowMarks {
    /// The run's one definition of a flagged and of a mailable row (docs/report.md, "headline"):
    /// flagged when email_check's or decay's action is `flag`; mailable when decay says `decay_mailable`
    /// yes or, without decay, when email_check says the address is valid. Only columns a stage of the
    /// pipeline adds count, never an input column that happens to share the name.
    static func forRun(schema: Schema, stages: [any Stage]) -> ActiveRowMarks {
        let names = Set(stages.map { type(of: $0).descriptor.name })
        func added(_ column: String, by stage: String) -> Int? {
            guard names.contains(stage), let index = schema.index(of: column), index.position >= schema.inputColumnCount else {
                return nil
            }
            return index.position
        }
        let email = EmailCheckStage.descriptor.name, decay = DecayStage.descriptor.name
        let flags = [added(EmailCheckStage.Columns.action, by: email), added("decay_action", by: decay)].compactMap { $0 }
        var mailable: (position: Int, value: String)?
        if let position = added(LeadColumns.decayMailable.name, by: decay) {
            mailable = (position, true.columnText)
        } else if let position = added(LeadColumns.emailStatus.name, by: email) {
            mailable = (position, EmailStatus.valid.rawValue)
        }
        return ActiveRowMarks(flagPositions: flags, flagValue: DecayAction.flag.rawValue, mailable: mailable)
    }
}
