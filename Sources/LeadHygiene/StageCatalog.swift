import Foundation
import LeadRecords
import PipelineFileLoading
import PipelineSpec
import SpreadsheetInput

/// The text of `leadhygiene stages` and `leadhygiene reasons`, generated from the stage descriptors
/// the decoder itself uses, so the reference cannot drift from what pipeline files accept.
public enum StageCatalog {
    public static func stagesText() -> String {
        var out: [String] = []
        for descriptor in StageRegistry.descriptors {
            out.append("\(descriptor.name)  —  \(descriptor.summary)")
            if !descriptor.requiredFields.isEmpty {
                out.append("  needs fields: \(descriptor.requiredFields.map(\.name).joined(separator: ", "))")
            }
            if !descriptor.optionalFields.isEmpty {
                out.append("  uses fields:  \(descriptor.optionalFields.map(\.name).joined(separator: ", "))")
            }
            if !descriptor.addedColumns.isEmpty {
                out.append("  adds columns: \(descriptor.addedColumns.joined(separator: ", "))")
            }
            if !descriptor.produces.isEmpty {
                out.append("  produces for later stages: \(descriptor.produces.map(\.description).joined(separator: ", "))")
            }
            if !descriptor.consumes.isEmpty {
                out.append("  reads from earlier stages: \(descriptor.consumes.map(\.description).joined(separator: ", "))")
            }
            out.append("  options:")
            out += optionLines(descriptor.options, indent: "    ")
            if !descriptor.reasonCodes.isEmpty {
                out.append("  reason codes: \(descriptor.reasonCodes.map(\.code).joined(separator: ", "))")
            }
            out.append("")
        }
        out.append("pipeline file keys:")
        out += optionLines(PipelineFile.schema, indent: "  ")
        out.append("  stages: list of `- name: {options}`")
        out.append("")
        out.append("canonical fields (columns:): " + CanonicalField.all.map(\.name).joined(separator: ", "))
        return out.joined(separator: "\n") + "\n"
    }

    static func optionLines(_ schema: OptionSchema, indent: String) -> [String] {
        if schema.options.isEmpty { return [indent + "(none)"] }
        var lines: [String] = []
        for spec in schema.options {
            var line = "\(indent)\(spec.name): \(spec.type.displayName)"
            if let value = spec.defaultValue { line += " = \(value)" }
            if let range = spec.rangeText { line += " (\(range))" }
            if spec.isRequired { line += " (required)" }
            line += "  —  \(spec.summary)"
            lines.append(line)
            if case .object(let nested) = spec.type { lines += optionLines(nested, indent: indent + "  ") }
            if case .list(.object(let nested)) = spec.type { lines += optionLines(nested, indent: indent + "  - ") }
            if case .map(.object(let nested)) = spec.type { lines += optionLines(nested, indent: indent + "  <key>.") }
        }
        return lines
    }

    /// Every reason code, with the stage (or `input`) that emits it.
    public static func reasonsText() -> String {
        var rows: [(String, String, String)] = (ReasonCode.inputCodes + WorkbookRecordReader.reasonCodes).map { ($0.code, "input", $0.summary) }
        for descriptor in StageRegistry.descriptors {
            rows += descriptor.reasonCodes.map { ($0.code, descriptor.name, $0.summary) }
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 + ": " + $0.2 }
            .joined(separator: "\n") + "\n"
    }
}
