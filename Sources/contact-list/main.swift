import ArgumentParser
import ContactListGenerator
import Foundation

/// `contact-list`: writes a generated B2B contact export and its truth file (which person each row is).
///
/// The second, independent generator: `dedupe` is checked on it without ever being tuned on it.
struct ContactList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact-list",
        abstract: "Write a generated B2B contact export (Zipf account sizes, home cities, per-account email patterns) and its truth file.")

    @Option(help: "Rows to write.") var rows = 2000
    @Option(help: "Seed (the same seed always gives the same list).") var seed: UInt64 = 1
    @Option(help: "The contacts CSV.") var output: String
    @Option(help: "The truth CSV: Contact ID,person_id.") var truth: String

    func validate() throws {
        if rows < 1 { throw ValidationError("--rows must be at least 1") }
    }

    func run() throws {
        var generator = ContactListGenerator(.init(rows: rows, seed: seed))
        let list = generator.generate()
        var csv = ContactListGenerator.columns.joined(separator: ",") + "\n"
        var truthCSV = ContactListGenerator.truthColumns.joined(separator: ",") + "\n"
        for row in list {
            csv += row.values.map(Self.quoted).joined(separator: ",") + "\n"
            truthCSV += row.values[0] + "," + row.personID + "\n"
        }
        try csv.write(toFile: output, atomically: true, encoding: .utf8)
        try truthCSV.write(toFile: truth, atomically: true, encoding: .utf8)
    }

    /// RFC 4180 quoting where a value needs it.
    static func quoted(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

ContactList.main()
