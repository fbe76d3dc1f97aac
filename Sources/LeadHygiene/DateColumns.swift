import LeadRecords
import PipelineFileLoading
import PipelineSpec

/// Decides, for each mapped date field, how its column writes dates: the pattern `columns:` names, or
/// what the column's first values show (``DateFormat/detect(_:fallback:)``), with a note saying so.
enum DateColumns {
    /// Rows of the first block looked at.
    static let sampleRows = 5000

    static func decide(binding: ColumnBinder.Binding, pipeline: PipelineFile, schema: Schema, sample: [[String]])
        -> (formats: [CanonicalField: DateFormat], notes: [String]) {
        let fallback = DateFormat.Order(rawValue: pipeline.input.dateOrder) ?? .mdy
        var formats: [CanonicalField: DateFormat] = [:]
        var notes: [String] = []
        for field in CanonicalField.dates {
            guard let column = binding.columns[field] else { continue }
            let name = schema.columns[column.position]
            let values = sample.compactMap { column.position < $0.count ? $0[column.position] : nil }.filter { !$0.isEmpty }
            if let pattern = pipeline.columns.first(where: { $0.field == field })?.dateFormat {
                let format = DateFormat(order: fallback, pattern: pattern)
                formats[field] = format
                let unreadable = values.filter { LeadDate.parse($0, format: format) == nil }.count
                if unreadable > 0 {
                    notes.append("\(field.name) ('\(name)'): \(unreadable) of the first \(values.count) dates do not match its format '\(pattern.text)'")
                }
                continue
            }
            let detection = DateFormat.detect(values, fallback: fallback)
            formats[field] = detection.format
            guard !values.isEmpty else { continue }
            let unreadable = values.filter { LeadDate.parse($0, format: detection.format) == nil }
            var note = "\(field.name) ('\(name)'): dates read as "
                + detection.shapes.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                    .map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            if detection.orderUndecided {
                note += "; no value has a day over 12, so 01/02-style dates are read as \(detection.format.order.rawValue) "
                    + "(input.date_order: \(detection.format.order == .mdy ? "dmy" : "mdy") reads them the other way)"
            } else if detection.orderConflicting {
                note += "; some slash dates are day-first and others month-first, read as the majority (\(detection.format.order.rawValue))"
            }
            note += "; \(unreadable.count) of the first \(values.count) are not dates"
            if let example = unreadable.first { note += " (e.g. '\(example.prefix(40))')" }
            // Plain ISO 8601 is what every stage expects: no note unless something was decided.
            if detection.shapes.keys.sorted() != ["ISO 8601"] || !unreadable.isEmpty { notes.append(note) }
        }
        return (formats, notes)
    }
}
