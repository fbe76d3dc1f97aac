import ArgumentParser
import Foundation
import LeadSampleGenerator

/// `lead-sample`: writes a seeded, realistic lead list with planted problems, its truth file and firmographics.
struct LeadSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lead-sample",
        abstract: "Generate a realistic B2B lead list with planted problems and true entity ids (seeded).")

    @Option(help: "Number of lead rows.") var rows = 2000
    @Option(help: "Random seed; the same seed gives the same file.") var seed: UInt64 = 42
    @Option(help: "Lead list to write (CSV).") var output: String
    @Option(help: "Truth file to write: Lead ID → entity_id.") var truth: String?
    @Option(help: "Firmographic reference file to write, keyed by domain.") var firmographics: String?
    @Option(help: "Share of rows that duplicate an earlier person.") var duplicateRate = 0.18
    @Option(help: "Rows that are malformed CSV (default: 1 per 1,000 rows, at least 1).") var malformed: Int?

    func run() throws {
        var config = LeadSampleGenerator.Configuration(rows: rows, seed: seed)
        config.duplicateRate = duplicateRate
        config.malformedRows = malformed ?? max(1, rows / 1000)
        var generator = LeadSampleGenerator(config)
        let leads = try BufferedFile(output)
        let truthFile = try truth.map(BufferedFile.init)
        try leads.line(LeadSampleGenerator.leadColumns.joined(separator: ","))
        try truthFile?.line(LeadSampleGenerator.truthColumns.joined(separator: ","))
        var failure: Error?
        generator.generate { row in
            do {
                try leads.line(row.csvLine)
                try truthFile?.line(row.values[0] + "," + row.entityID)
            } catch { failure = error }
        }
        if let failure { throw failure }
        try leads.close()
        try truthFile?.close()
        if let firmographics {
            let file = try BufferedFile(firmographics)
            try file.line(LeadSampleGenerator.firmographicColumns.joined(separator: ","))
            generator.firmographics { row in try? file.line(row.map(LeadSampleGenerator.csvField).joined(separator: ",")) }
            try file.close()
        }
    }
}

/// A write-only file with a large buffer, so millions of rows write quickly.
final class BufferedFile {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
    }

    func line(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count > 1 << 20 { try flush() }
    }

    func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}

LeadSampleCommand.main()
