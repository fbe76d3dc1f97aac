import ArgumentParser
import Foundation
import LeadHygiene

extension EnvelopeCommand {
    /// `leadhygiene envelope sites`: the key a distributed run shuffles scrape's rows by, computed with the same
    /// Public Suffix List the stage uses, so the driver never parses domains itself.
    struct Sites: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sites",
            abstract: "Per row of an envelope, the registrable domain of the website scrape visits for it.",
            discussion: """
                Reads an envelope (its input header, then row lines, as `run --envelope` reads them) and writes one line \
                per row line, in order: {"seq":S,"site":"acme.com"}, or "site":null when the row names no website \
                (scrape then visits nothing for it). The website is the first non-empty of norm_website, the column \
                mapped to website, norm_domain, the column mapped to domain, as scrape reads it. \
                Exit codes: 0 written; 1 a line is not an envelope line.
                """)

        @Option(help: "The envelope (a header line, then rows); - reads standard input.") var input: String = "-"

        func run() throws {
            let handle: FileHandle
            if input == "-" {
                handle = .standardInput
            } else if let opened = FileHandle(forReadingAtPath: input) {
                handle = opened
            } else {
                printError("error: \(input): cannot open for reading")
                throw ExitCode(ExitStatus.runFailed)
            }
            var keys: ScrapeSiteKeys?
            var out: [UInt8] = []
            var number = 0
            let problem = { (text: String) -> ExitCode in
                printError("error: \(input): line \(number): \(text)")
                return ExitCode(ExitStatus.runFailed)
            }
            for line in EnvelopeSitesLines(handle) {
                number += 1
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    throw problem("not a JSON object")
                }
                guard let sites = keys else {
                    guard object["kind"] as? String == "input" else { throw problem("the first line is not an envelope's input header") }
                    let fields = object["fields"] as? [String: String] ?? [:]
                    keys = ScrapeSiteKeys(websiteColumn: fields["website"], domainColumn: fields["domain"])
                    continue
                }
                guard let seq = object["seq"] as? Int else { throw problem("a row line without its seq") }
                let site = (object["row"] as? [String: Any]).flatMap(sites.site(of:))
                // A registrable domain is ASCII (Punycode) without quotes or backslashes: written as it is.
                out.append(contentsOf: "{\"seq\":\(seq),\"site\":\(site.map { "\"\($0)\"" } ?? "null")}\n".utf8)
                if out.count >= 1 << 16 {
                    FileHandle.standardOutput.write(Data(out))
                    out.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(Data(out))
        }
    }
}

/// The non-empty lines of a file handle, read in blocks.
struct EnvelopeSitesLines: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[position..<newline]
                position = newline + 1
                if line.isEmpty { continue }
                return line
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                defer { position = buffer.count }
                return buffer[position...]
            }
            buffer.removeSubrange(..<position)
            position = 0
            let block = handle.readData(ofLength: 1 << 16)
            if block.isEmpty { atEnd = true } else { buffer.append(contentsOf: block) }
        }
    }
}
