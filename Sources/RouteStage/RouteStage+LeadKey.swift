import LeadRecords
import RowExpressions

extension RouteStage.Bound {
    /// The key a lead keeps across runs: `entity:` dedupe's id, else `record:` the source's id, else
    /// `email:` the address lower-cased, else `line:` its input line (stable only for an unchanged file).
    func leadKey(_ record: Record) -> String {
        if let entity = columns.entity, case let value = record.fields[entity.position], !value.isEmpty { return "entity:" + value }
        if let id = columns.recordID, case let value = record.fields[id.position].trimmingSpaces, !value.isEmpty { return "record:" + value }
        if let email = columns.email, case let value = record.fields[email.position].trimmingSpaces, !value.isEmpty {
            return "email:" + value.lowercased()
        }
        return "line:" + String(record.line)
    }

    /// ``leadKey(_:)`` hashed for rendezvous ranking, fed from the cells' bytes in place without making the
    /// key: the same bytes in the same order, so the same hash. A cell that would need trimming, or an address
    /// that is not ASCII (whose lower case is Unicode's), takes the string's way.
    func leadKeyState(_ record: Record) -> RendezvousAssignment.KeyState {
        var state = RendezvousAssignment.KeyState()
        let fields = record.fields
        if let entity = columns.entity, !fields.isEmpty(entity.position) {
            state.add("entity:")
            fields.withUTF8(entity.position) { state.add($0) }
            return state
        }
        if let id = columns.recordID {
            switch fields.withUTF8(id.position, CellShape.init) {
            case .empty:
                break
            case .plainASCII:
                state.add("record:")
                fields.withUTF8(id.position) { state.add($0) }
                return state
            case .other:
                state.add(leadKey(record))
                return state
            }
        }
        if let email = columns.email {
            switch fields.withUTF8(email.position, CellShape.init) {
            case .empty:
                break
            case .plainASCII:
                state.add("email:")
                fields.withUTF8(email.position) { state.addLowercasingASCII($0) }
                return state
            case .other:
                state.add(leadKey(record))
                return state
            }
        }
        state.add(leadKey(record))
        return state
    }
}

/// What a cell needs before it can be part of a lead key.
enum CellShape {
    /// No bytes: the key looks further.
    case empty
    /// ASCII with nothing to trim: its bytes are the key's, and lower-casing them is `lowercased()`.
    case plainASCII
    /// Spaces to trim, or other text: made into the key's string first.
    case other

    init(_ cell: UnsafeBufferPointer<UInt8>) {
        guard let first = cell.first, let last = cell.last else {
            self = .empty
            return
        }
        for b in cell where b >= 0x80 {
            self = .other
            return
        }
        guard first != 0x20, first != 0x09, last != 0x20, last != 0x09, last != 0x0D else {
            self = .other
            return
        }
        self = .plainASCII
    }
}
