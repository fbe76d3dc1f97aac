import LeadIO
import PipelineExecution

extension PreparedPipeline {
    /// The parser for `reader`'s records, reading rows as the reader decided (encoding fallback).
    func parser(for reader: any RecordSource) -> RecordParser {
        // Rows from an earlier segment's envelope carry the columns its stages added, at their schema positions.
        // An envelope's row objects give a repeated column name as `Name#2` (``RecordSerializer/jsonKeys(_:)``).
        let envelope = reader as? EnvelopeReader
        var parser = RecordParser(format: reader.format, columns: envelope.map { RecordSerializer.jsonKeys($0.rowColumns ?? $0.columns) } ?? reader.columns)
        parser.readsInvalidUTF8AsWindows1252 = reader.readsInvalidUTF8RowsAsWindows1252
        return parser
    }

    /// What the run's summary and report say about how the input was read: its encoding and delimiter
    /// when they were detected, columns that look like canonical fields but were not mapped.
    func inputNotes(reader: any RecordSource, totals: RunTotals) -> [String] {
        var notes: [String] = []
        if let note = reader.encodingNote { notes.append(note) }
        if totals.rowsReadAsWindows1252 > 0 {
            notes.append("\(totals.rowsReadAsWindows1252) rows were not valid UTF-8 although the input's first block was (or nearly all of it); "
                         + "they were read as Windows-1252 (set input.encoding to say which encoding the file is in)")
        }
        if let note = reader.delimiterNote { notes.append(note) }
        if let note = reader.schemaNote { notes.append(note) }
        if let note = binding?.unmappedNote { notes.append(note) }
        notes += extraNotes
        return notes
    }
}
