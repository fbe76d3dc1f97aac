import LeadIO
import PipelineExecution
import PipelineSpec

/// How `envelope encode` read a distributed run's input: the notes a one-machine run's report opens with (the
/// encoding, the delimiter, the columns left unmapped, the date formats) and, with a store, the input's checksum
/// (the store tells a re-run from a new week by it). `report merge --input-facts` puts them in the merged report:
/// the partitions read the encoded rows, not the file.
public struct EnvelopeInputFacts: Sendable, Equatable {
    public var notes: [String]
    public var inputChecksum: String?
    /// The run store the pipeline names, as a run opens it: the driver ships it to the tasks that read it and records
    /// the run there (`store import`).
    public var storePath: String?

    public init(notes: [String], inputChecksum: String?, storePath: String? = nil) {
        self.notes = notes
        self.inputChecksum = inputChecksum
        self.storePath = storePath
    }

    /// The facts file's JSON: `{"notes":[…],"input_checksum":"…","store":"…"}` (the last two `null` without a store).
    public var json: String {
        ReportValue.object([
            ("notes", .array(notes.map(ReportValue.string))), ("input_checksum", inputChecksum.map(ReportValue.string) ?? .null),
            ("store", storePath.map(ReportValue.string) ?? .null),
        ]).json()
    }

    /// Reads what ``json`` wrote.
    public init(json text: String) throws {
        let value = try ReportValueReader.read(text)
        notes = PartitionReports.items(value["notes"]).compactMap(PartitionReports.string)
        inputChecksum = PartitionReports.string(value["input_checksum"])
        storePath = PartitionReports.string(value["store"])
    }
}

extension PreparedPipeline {
    /// What a one-machine run's report would say about reading this input, once `encodeEnvelope` read all of it.
    /// - Parameter storePath: the store the pipeline names (this preparation left it closed).
    public func inputFacts(after encoded: EncodedInput, storePath: String?) -> EnvelopeInputFacts {
        guard let reader else { return EnvelopeInputFacts(notes: [], inputChecksum: nil, storePath: storePath) }
        var totals = RunTotals(stageNames: [])
        totals.rowsReadAsWindows1252 = encoded.rowsReadAsWindows1252
        return EnvelopeInputFacts(notes: inputNotes(reader: reader, totals: totals), inputChecksum: reader.inputChecksum,
                                  storePath: storePath)
    }
}
