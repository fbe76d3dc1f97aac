import Foundation
import LeadRecords
import PipelineSpec

/// The pipeline-file options of `compliance`, and their reading into the stage's settings.
enum ComplianceOptions {
    /// The reasons whose action the pipeline chooses; `erased_subject` is always rejected.
    static let actionable = ReasonCode.complianceCodes.filter { $0 != .erasedSubject }

    static let schema = OptionSchema([
        OptionSpec("policy", .path, required: true,
                   "The contact policy file: per-country email rules, a default rule and where a lead's country comes from (example: SampleData/contact-policy.example.yml, not legal advice)."),
        OptionSpec("do_not_contact", .list(.path),
                   "Do-not-contact lists (CSV, TSV or JSONL): an `email`, `domain` or `entry` column and an optional `reason`; addresses match through the shared mailbox identity, domains match every address at the registrable domain."),
        OptionSpec("actions", .object(OptionSchema(actionable.map {
            OptionSpec($0.code, .choice(["flag", "reject"]), default: .string("flag"),
                       "`flag` keeps the row with contact_allowed: no; `reject` moves it to the rejects with this code.")
        })), "Per reason: flag (keep the row, contact_allowed: no) or reject. A row with several reasons is rejected when any of its reasons says reject, with the first such reason. erased_subject is always rejected."),
    ])

    /// What the stage works from, decoded once.
    struct Settings: Sendable {
        var policy: ContactPolicy
        var doNotContact: DoNotContactList
        var rejects: Set<ReasonCode>
    }

    /// - Throws: ``PipelineFileError`` for problems inside the policy or list files (at their own
    ///   `file:line:col`), ``OptionProblem`` for options that name no readable file.
    static func settings(from options: OptionValues) throws -> Settings {
        guard let policyPath = options.string("policy") else {
            throw OptionProblem(option: "policy", "name the contact policy file (example: SampleData/contact-policy.example.yml)")
        }
        guard FileManager.default.fileExists(atPath: policyPath) else {
            throw OptionProblem(option: "policy", "the contact policy file '\(policyPath)' does not exist")
        }
        let policy = try ContactPolicyFile.load(path: policyPath)
        var list = DoNotContactList()
        for path in options.strings("do_not_contact") {
            guard FileManager.default.fileExists(atPath: path) else {
                throw OptionProblem(option: "do_not_contact", "the do-not-contact list '\(path)' does not exist")
            }
            try list.load(path: path)
        }
        let actions = options.object("actions")
        let rejects = Set(actionable.filter { actions.defaultedString($0.code) == "reject" } + [.erasedSubject])
        return Settings(policy: policy, doNotContact: list, rejects: rejects)
    }
}
