import Foundation
import LeadFacts
import LeadRecords
import PipelineSpec
import RowExpressions

/// `route`: gives every lead an owner, with the reason, the way Salesforce assignment rules do but
/// offline, with any number of rule sets and with round robin that stays put from week to week.
///
/// Each lead is first matched to a CRM account (by registrable domain of its website or work email,
/// then by company key; see ``AccountBook``). Rules are tried in order and the first that matches wins:
/// `owner: account_owner` takes the owner from a column, `pool: dach` hands the lead to a member of a
/// pool by weighted rendezvous hashing (``RendezvousAssignment``) of its key, passing it on to the
/// next member in the lead's order when one is at its cap. It is a whole-list stage so caps fill in
/// input order, whatever the number of threads. With a store, a lead keeps last run's owner while that
/// owner is still in the pool (``AssignmentMemory``).
public struct RouteStage: Stage {
    static let accountsSchema = OptionSchema([
        OptionSpec("path", .path, required: true, "CRM accounts export (CSV, TSV or JSONL)."),
        OptionSpec("id", .string, default: .string("Account ID"), "The column with the account's id."),
        OptionSpec("domain", .string, default: .string("Website"), "The column with the account's website or domain."),
        OptionSpec("name", .string, default: .string("Account Name"), "The column with the account's name."),
        OptionSpec("owner", .string, default: .string("Account Owner"), "The column with the account's owner."),
    ])

    static let ruleSchema = OptionSchema([
        OptionSpec("when", .string, "Condition on the row (as score's); the first rule that holds routes the lead."),
        OptionSpec("default", .bool, default: .bool(false), "The rule matches every lead (write it last)."),
        OptionSpec("owner", .string, "Column whose value is the owner (account_owner, or an input column); an empty value passes to the next rule."),
        OptionSpec("pool", .string, "Pool whose members share the leads."),
    ])

    static let memberSchema = OptionSchema([
        OptionSpec("rep", .string, required: true, "The rep, as the owner column will say it (an email or CRM user name)."),
        OptionSpec("weight", .number, default: .number(1), range: 0.001...1000, "Share of the pool's new leads, relative to the others'."),
        OptionSpec("cap", .integer, range: 0...100_000_000, "Most leads the rep gets in a run; the rest pass to the next member in each lead's order."),
    ])

    static let poolSchema = OptionSchema([
        OptionSpec("members", .list(.object(memberSchema)), required: true, "The pool's reps."),
    ])

    public static let descriptor = StageDescriptor(
        name: "route",
        summary: "Matches leads to CRM accounts and assigns owners by first-match rules, territories and weighted, capped, stable pools.",
        options: OptionSchema([
            OptionSpec("accounts", .object(accountsSchema), "CRM accounts to match leads to; adds account_id, account_match, account_owner."),
            OptionSpec("rules", .list(.object(ruleSchema)), required: true, "Routing rules, first match wins."),
            OptionSpec("pools", .map(.object(poolSchema)), "Pool name → its members."),
            OptionSpec("fallback", .string, default: .string("unrouted"), "What route_pool says for a lead no rule routes, or whose pool is full."),
            OptionSpec("sticky", .bool, default: .bool(true), "With a store, keep last run's owner while that owner is still in the pool."),
        ]),
        optionalFields: [.recordID, .email, .company, .website, .domain],
        addedColumns: ["account_id", "account_match", "account_owner", "owner", "route_pool", "route_rule", "route_reason"],
        produces: [ColumnSpec("account_match", .choice(AccountBook.Match.allCases.map(\.rawValue)))],
        consumes: [LeadColumns.entityID.spec, LeadColumns.normDomain.spec, LeadColumns.normEmail.spec])

    let rules: [RouteRule]
    let pools: [RoutePool]
    let fallback: String
    let accounts: AccountBook?
    let memory: (any AssignmentMemory)?
    let companyKey: CompanyKey
    let jobs: Int

    public init(options: OptionValues, context: StageContext) throws {
        pools = try RouteRulesDecoder.pools(options)
        rules = try RouteRulesDecoder.rules(options, pools: pools)
        fallback = options.defaultedString("fallback")
        companyKey = context.companyKey
        jobs = context.jobs
        if options.isSet("accounts"), !context.isLintOnly {
            let account = options.object("accounts")
            accounts = try AccountBook(path: account.defaultedString("path"), idColumn: account.defaultedString("id"),
                                       domainColumn: account.defaultedString("domain"), nameColumn: account.defaultedString("name"),
                                       ownerColumn: account.defaultedString("owner"), companyKey: context.companyKey)
        } else {
            accounts = nil
        }
        hasAccounts = options.isSet("accounts")
        memory = options.bool("sticky") && !context.isLintOnly ? try context.services.open((any AssignmentMemory).self) : nil
    }

    /// Whether the pipeline names an accounts file (lint adds the account columns without reading it).
    let hasAccounts: Bool

    public func bound(schema: inout Schema, columns: ColumnBindings) throws -> BoundStage {
        .wholeList(try Bound(stage: self, schema: &schema, columns: columns))
    }
}
