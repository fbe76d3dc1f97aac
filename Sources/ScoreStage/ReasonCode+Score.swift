import LeadRecords

extension ReasonCode {
    /// A score rule written `exclude: true` matched. A rule may name its own code instead
    /// (`exclude: sanctioned_country`): the row is then rejected with that code, which the rejects
    /// file, the report's `reject_reasons` and `fail_if: { reject_reasons.sanctioned_country: … }` show.
    public static let scoreExcluded = ReasonCode(
        "score_excluded", "A score rule with `exclude: true` matched (rules may name their own code: `exclude: sanctioned_country`).")
}
