/// A run of consecutive records, the unit the executor schedules.
///
/// Chunks are numbered in input order; the writer puts them back in that order,
/// so output order equals input order whatever the parallelism.
public struct RecordChunk: Sendable {
    /// The chunk's position in the input, from 0.
    public var sequence: Int
    /// The records, in input order.
    public var records: [Record]
    /// Rows of an input detected as UTF-8 that were not, and were read as Windows-1252 instead.
    public var rowsReadAsWindows1252 = 0
    /// Records an earlier segment of a distributed run set aside and carried here (``Record/isCarried``): not read
    /// by this run, so not among its rows in.
    public var carriedRows = 0

    public init(sequence: Int, records: [Record]) {
        self.sequence = sequence
        self.records = records
    }
}
