import LeadIO
import LeadRecords
import PipelineSpec
import Synchronization

/// The values a whole-list stage does not touch, set aside in a temporary file while the stage holds the list.
///
/// As a chunk is gathered (on its worker), each row keeps only the stage's ``TouchedColumns`` and its stored
/// form goes into the chunk's blob; the executor appends the blob to the file in input order. After the
/// stage, each chunk's blob is read back (on the worker that takes the chunk next) and every row is put back
/// together: the stage's values in its touched columns, the set-aside values in the others. If the file
/// cannot be written (a full disk, a file-size limit), the chunks from then on are held whole: the run goes on
/// with more memory, and a note says why.
final class HeldRowsSetAside: Sendable {
    private let touched: TouchedColumns
    private let mask: [Bool]
    private let file: ScratchFile
    /// Why setting aside stopped, once it has; chunks are held whole from then on.
    private let stopped = Mutex<String?>(nil)

    init(touched: TouchedColumns, width: Int, stage: String) throws {
        self.touched = touched
        mask = touched.mask(width: width)
        file = try ScratchFile(purpose: "held-\(stage)")
    }

    /// Why values stopped being set aside, if they did.
    var stopReason: String? { stopped.withLock { $0 } }

    /// Bytes set aside in the file.
    var bytesSetAside: Int { file.size }

    /// Keeps only the touched values of each row (with room for the stage's writes) and gives rows held whole
    /// back their growth room; returns the blob that restores the rows, or `nil` when setting aside has stopped
    /// (the chunk stays whole, its growth room not yet given back).
    func setAside(_ records: inout [Record]) -> [UInt8]? {
        guard stopReason == nil else { return nil }
        var blob: [UInt8] = []
        blob.reserveCapacity(records.reduce(0) { $0 + 13 + $1.fields.byteCount })
        let columns = (mask.lastIndex(of: true) ?? -1) + 1
        for i in records.indices {
            // Each row's entry starts with what the stage needs of it: nothing more for a row held whole, else the row as it was.
            let entry = touched.need(records[i])
            blob.append(entry.rawValue)
            guard entry != .wholeRow else {
                records[i].fields.releaseSlack()
                continue
            }
            records[i].fields.appendStored(to: &blob)
            records[i].fields = entry == .nothing ? PackedFields(width: records[i].fields.count)
                : records[i].fields.keeping(mask, roomForColumns: columns, extra: touched.writtenBytes)
        }
        return blob
    }

    /// Appends a chunk's blob to the file (in input order, from the consuming thread); `nil` when it could not
    /// be written: setting aside stops, and the caller restores the chunk from the blob at once.
    func store(_ blob: [UInt8]) -> Range<Int>? {
        guard stopReason == nil else { return nil }
        do {
            return try blob.withUnsafeBytes { try file.append($0) }
        } catch {
            stopped.withLock { $0 = $0 ?? "\(error)" }
            return nil
        }
    }

    /// The blob stored at `range`.
    func load(_ range: Range<Int>) throws -> [UInt8] { try file.read(range) }

    /// Puts a chunk's rows back together from its blob.
    func restore(_ records: inout [Record], from blob: [UInt8]) {
        var builder = PackedFieldsBuilder()
        blob.withUnsafeBytes { raw in
            var offset = 0
            for i in records.indices {
                let entry = TouchedColumns.RowNeed(rawValue: raw[offset])!
                offset += 1
                switch entry {
                case .wholeRow:
                    continue
                case .touchedColumns:
                    let original = PackedFields(storedIn: raw, at: &offset)
                    records[i].fields = records[i].fields.restoring(original, kept: mask, builder: &builder)
                case .nothing:
                    records[i].fields = PackedFields(storedIn: raw, at: &offset)
                }
            }
        }
    }
}
