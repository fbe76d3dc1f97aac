/// Which lines of a JSONL input its columns are learned from (`input.schema_sample_lines`).
///
/// A JSONL file has no header, so the columns are the keys of its objects in first-seen order;
/// a row holding a key outside them is rejected as `jsonl_unexpected_field`.
public enum JSONLSchemaSample: Sendable, Equatable {
    /// Every line: a first pass over the input collects the keys, then reading starts over.
    ///
    /// Only a regular file can be read twice; standard input or a pipe falls back to
    /// ``fallbackLines`` first lines, and the reader says so in ``RecordReader/schemaNote``.
    case wholeInput
    /// The first `n` lines; keys first seen later are rejected.
    case firstLines(Int)

    /// How many first lines stand in for the whole input when it cannot be read twice.
    package static let fallbackLines = 1000
}
