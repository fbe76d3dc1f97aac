import Foundation

/// One entity a task of a distributed run formed (`dedupe cluster`), as it reports it to the driver: what the entity
/// brings to its naming (``EntityBallot``) and the ID the task gave it.
///
/// A task names only its own entities, but naming is global: two parts of last week's entity in two tasks both vote
/// for its ID, and a new ID in one task can show the same 48 bits as one in another. The driver collects every task's
/// entities and names them all again (`dedupe assign`, ``EntityIdentifier/assign(_:)``) in one-machine entity order.
///
/// Line: `{"first":LINE,"size":N,"key":"SMALLEST KEY","votes":{"ID":ROWS,…},"id":"ID","keys":["KEY",…]}`; the record
/// keys come last, so a driver can cut them off and hand the rest on without decoding them.
package struct ReportedEntity: Codable, Sendable, Equatable {
    /// The input line of the entity's first row: one machine numbers entities in the order of their first rows.
    package var first: Int
    package var size: Int
    /// The smallest record key, which names the entity when it inherits nothing.
    package var key: String
    /// The IDs its rows had after the store's last run, with how many rows had each.
    package var votes: [String: Int]
    /// The ID its task gave it.
    package var id: String

    package init(first: Int, size: Int, key: String, votes: [String: Int], id: String) {
        self.first = first
        self.size = size
        self.key = key
        self.votes = votes
        self.id = id
    }

    var ballot: EntityBallot { EntityBallot(size: size, votes: votes, smallestKey: key) }

    /// Writes a line per entity through `emit`, in entity order.
    static func report(firstLines: [Int], members: EntityMembers, keys: [String], previous: [String: String], ids: [String],
                       emit: @escaping @Sendable ([UInt8]) -> Void) {
        var out = StepLines(emit: emit)
        for e in 0..<members.count {
            let rows = members[e]
            let votes = EntityIdentifier.votes(of: rows.lazy.map { keys[Int($0)] }, previous: previous)
            out.text("{\"first\":\(firstLines[e]),\"size\":\(rows.count),\"key\":")
            out.string(rows.lazy.map { keys[Int($0)] }.min() ?? "")
            out.text(",\"votes\":{")
            for (v, (id, count)) in votes.sorted(by: { $0.key < $1.key }).enumerated() {
                if v > 0 { out.text(",") }
                out.string(id)
                out.text(":\(count)")
            }
            out.text("},\"id\":")
            out.string(ids[e])
            out.text(",\"keys\":[")
            for (k, row) in rows.enumerated() {
                if k > 0 { out.text(",") }
                out.string(keys[Int(row)])
            }
            out.text("]}")
            out.end()
        }
        out.flush()
    }

    /// The IDs one run over every task's rows gives `entities` (any order): every entity's, by its first line.
    package static func assign(_ entities: [ReportedEntity]) -> [Int: String] {
        let ordered = entities.sorted { $0.first < $1.first }
        let ids = EntityIdentifier.assign(ordered.map(\.ballot))
        return Dictionary(uniqueKeysWithValues: zip(ordered.map(\.first), ids))
    }
}
