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

    /// ``leadKey(_:)`` hashed for rendezvous ranking, fed from the cells' bytes without making the key:
    /// the same bytes in the same order, so the same hash. A cell that would need trimming, or an address
    /// that is not ASCII (whose lower case is Unicode's), takes the string's way.
    func leadKeyState(_ record: Record) -> RendezvousAssignment.KeyState {
        var state = RendezvousAssignment.KeyState()
        if let entity = columns.entity, case let value = record.fields[entity.position], !value.isEmpty {
            state.add("entity:")
            state.add(value)
            return state
        }
        if let id = columns.recordID {
            switch CellShape(record.fields[id.position]) {
            case .empty:
                break
            case .plainASCII:
                state.add("record:")
                state.add(record.fields[id.position])
                return state
            case .other:
                state.add(leadKey(record))
                return state
            }
        }
        if let email = columns.email {
            switch CellShape(record.fields[email.position]) {
            case .empty:
                break
            case .plainASCII:
                state.add("email:")
                var value = record.fields[email.position]
                value.withUTF8 { state.addLowercasingASCII($0) }
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

    init(_ cell: String) {
        let utf8 = cell.utf8
        guard let first = utf8.first, let last = utf8.last else {
            self = .empty
            return
        }
        let ascii = utf8.withContiguousStorageIfAvailable { bytes in
            for b in bytes where b >= 0x80 { return false }
            return true
        } ?? utf8.allSatisfy { $0 < 0x80 }
        guard first != 0x20, first != 0x09, last != 0x20, last != 0x09, last != 0x0D, ascii else {
            self = .other
            return
        }
        self = .plainASCII
    }
}
