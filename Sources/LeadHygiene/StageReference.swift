import Foundation
import LeadRecords
import PipelineSpec

/// The Markdown reference of the stages (`leadhygiene stages --markdown`): for each stage its options
/// table, the columns it adds and its reason codes, rendered from the descriptors the decoder uses.
///
/// Each part is wrapped in marker comments (`<!-- BEGIN GENERATED: options normalize -->` …
/// `<!-- END GENERATED -->`), invisible once rendered. `docs/stages/<stage>.md` holds the same marked
/// parts; `make docs` copies this output into them and a test fails when they differ, so the pages
/// cannot drift from the code the way hand-written tables did.
///
/// ```
/// | option | type | default | range | meaning |
/// | --- | --- | --- | --- | --- |
/// | `dns.timeout` | int | `2` | 1…60 | Seconds to wait for the first try; … |
/// ```
public enum StageReference {
    /// The parts of a stage's reference, each its own marked region.
    public enum Part: String, CaseIterable, Sendable {
        case options, columns, reasons
    }

    /// The reference of every stage, in registry order.
    public static func markdown(for descriptors: [StageDescriptor] = StageRegistry.descriptors) -> String {
        descriptors.map(markdown(for:)).joined(separator: "\n")
    }

    /// One stage: a heading, its summary, then each part in its markers.
    public static func markdown(for descriptor: StageDescriptor) -> String {
        var out = "## `\(descriptor.name)`\n\n\(descriptor.summary)\n"
        for part in Part.allCases {
            out += "\n" + region(part, of: descriptor)
        }
        return out
    }

    /// One part between its markers, as it appears in a docs page.
    public static func region(_ part: Part, of descriptor: StageDescriptor) -> String {
        beginMarker(part, stage: descriptor.name) + "\n\n" + body(part, of: descriptor) + "\n" + endMarker + "\n"
    }

    /// `<!-- BEGIN GENERATED: options normalize -->`
    package static func beginMarker(_ part: Part, stage: String) -> String {
        "<!-- BEGIN GENERATED: \(part.rawValue) \(stage) -->"
    }

    public static let endMarker = "<!-- END GENERATED -->"

    /// The text between the markers (without the blank line after the begin marker).
    static func body(_ part: Part, of descriptor: StageDescriptor) -> String {
        switch part {
        case .options: optionsTable(descriptor.options)
        case .columns: columnsText(descriptor.addedColumns)
        case .reasons: reasonsTable(descriptor.reasonCodes)
        }
    }

    /// Every option, nested objects flattened into dotted paths (`dns.timeout`, `sources[].name`,
    /// `fields.<key>.policy`), so each setting a pipeline file can write has its own row.
    static func optionsTable(_ schema: OptionSchema) -> String {
        if schema.options.isEmpty { return "The stage takes no options.\n" }
        var lines = ["| option | type | default | range | meaning |", "| --- | --- | --- | --- | --- |"]
        for (path, spec) in flattened(schema, prefix: "") {
            let cells = [code(path), spec.type.displayName, defaultText(spec), spec.rangeText ?? "", spec.summary]
            lines.append("| " + cells.map(escaped).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func flattened(_ schema: OptionSchema, prefix: String) -> [(String, OptionSpec)] {
        var rows: [(String, OptionSpec)] = []
        for spec in schema.options {
            let path = prefix + spec.name
            rows.append((path, spec))
            switch spec.type {
            case .object(let nested): rows += flattened(nested, prefix: path + ".")
            case .list(.object(let nested)): rows += flattened(nested, prefix: path + "[].")
            case .map(.object(let nested)): rows += flattened(nested, prefix: path + ".<key>.")
            default: break
            }
        }
        return rows
    }

    static func defaultText(_ spec: OptionSpec) -> String {
        if spec.isRequired { return "required" }
        return spec.defaultValue.map { code($0.description) } ?? ""
    }

    static func columnsText(_ columns: [String]) -> String {
        if columns.isEmpty { return "The stage adds no columns.\n" }
        return "Added columns: " + columns.map(code).joined(separator: ", ") + ".\n"
    }

    static func reasonsTable(_ reasons: [ReasonCode]) -> String {
        if reasons.isEmpty { return "No reason codes: the stage neither rejects nor flags rows.\n" }
        var lines = ["| reason code | meaning |", "| --- | --- |"]
        for reason in reasons {
            lines.append("| " + [code(reason.code), reason.summary].map(escaped).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func code(_ text: String) -> String { "`\(text)`" }

    /// GitHub-flavoured Markdown ends a table cell at any `|`, even inside backticks, unless escaped.
    static func escaped(_ cell: String) -> String {
        cell.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
