/// What an export's header does that a list's author never meant, said in the run's notes and by `lint`.
///
/// A name repeated (HubSpot's `E-Mail` for the contact and again for its company): the name maps the first column
/// and `Name#2` the second (``Schema/index(ofInputColumn:)``), so the run says which one each field reads and how many
/// of the first rows have the value only in a later one, instead of leaving that column unused without a word. A cell left empty: the column is named `column_N`.
enum HeaderNotes {
    /// One note per repeated name; empty when every name is unique.
    static func repeatedNames(header: [String], binding: ColumnBinder.Binding, sample: [[String]]) -> [String] {
        var positions: [String: [Int]] = [:]
        var order: [String] = []
        for (index, name) in header.enumerated() {
            if positions[name] == nil { order.append(name) }
            positions[name, default: []].append(index)
        }
        return order.compactMap { name -> String? in
            guard let columns = positions[name], columns.count > 1 else { return nil }
            let numbers = columns.map { String($0 + 1) }
            var note = "the header names '\(name)' \(columns.count) times (columns \(numbers.joined(separator: ", ")))"
            // Which occurrence each mapped field reads: the name alone is the first, `Name#N` the Nth.
            let reads = binding.mapped.compactMap { mapped -> (field: String, occurrence: Int)? in
                if mapped.column == name { return (mapped.field.name, 1) }
                guard mapped.column.hasPrefix(name + "#"), let n = Int(mapped.column.dropFirst(name.count + 1)),
                      n >= 1, n <= columns.count else { return nil }
                return (mapped.field.name, n)
            }
            guard !reads.isEmpty else {
                return note + "; each is kept in the output as it is (map a later one as '\(name)#2')"
            }
            note += ": " + reads.map { "\($0.field) is read from column \(numbers[$0.occurrence - 1])" }.joined(separator: ", ")
            guard reads.allSatisfy({ $0.occurrence == 1 }) else { return note }
            note += " only"
            let later = columns.dropFirst()
            let onlyLater = sample.filter { row in
                value(row, columns[0]).isEmpty && later.contains { !value(row, $0).isEmpty }
            }.count
            if onlyLater > 0 {
                note += "; in \(onlyLater) of the first \(sample.count) rows only a later one has a value"
            }
            return note + "; map '\(name)#2' to read the second"
        }
    }

    /// Header cells left empty are named `column_N`, which is how the output names them too; the note says so,
    /// and whether the column holds anything in the first rows (a delimiter ending every line holds nothing).
    static func unnamedNote(_ positions: [Int], header: [String], sample: [[String]]) -> String {
        let names = positions.map { "'\(header[$0])'" }.joined(separator: ", ")
        let holding = positions.filter { position in sample.contains { !value($0, position).isEmpty } }
        var note = "the header leaves \(positions.count == 1 ? "a column" : "\(positions.count) columns") without a name; "
            + "\(positions.count == 1 ? "it is" : "they are") read and written as \(names)"
        if holding.isEmpty && positions.last == header.count - 1 {
            note += " (empty in the first \(sample.count) rows: a delimiter ending every line, as some CRM and ERP exports write; "
                + "list the columns to keep under `output.columns` to leave \(positions.count == 1 ? "it" : "them") out)"
        }
        return note
    }

    private static func value(_ row: [String], _ position: Int) -> Substring {
        position < row.count ? row[position].drop { $0 == " " } : ""
    }
}
