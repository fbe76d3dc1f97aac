import ArgumentParser
import Foundation
import LeadIO
import ReportHTML

/// `leadhygiene report html`: renders a run's `report.json`, this run's or an earlier one's, as one HTML page;
/// `leadhygiene report merge`: a distributed run's report from its partitions' (``ReportCommand/Merge``).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a run report, or merge a distributed run's partition reports into one.",
        subcommands: [HTML.self, Merge.self])

    struct HTML: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "html",
            abstract: "Render a report.json as one self-contained HTML page (inline CSS and SVG, no JavaScript, no URL).",
            discussion: """
                The page is the one `output.html_report` writes at the end of a run: the same report gives the same bytes. \
                Exit codes: 0 written; 1 the report could not be read or the page could not be written; 2 usage.
                """)

        @Argument(help: "The run's JSON report.") var report: String
        @Option(name: .shortAndLong, help: "Where to write the page; `-` or none writes standard output.") var output: String?
        @OptionGroup var logging: LogOptions

        func run() throws {
            let log = try CommandLog("report html", logging)
            log.started(["report": .string(report)])
            let page: String
            do {
                page = try ReportPage(json: Data(contentsOf: URL(fileURLWithPath: report))).html
            } catch let error as ReportPageError {
                printError("error: \(report) \(error.description)")
                throw ExitCode(ExitStatus.runFailed)
            } catch {
                printError("error: \(report) could not be read: \((error as NSError).localizedDescription)")
                throw ExitCode(ExitStatus.runFailed)
            }
            guard let output, output != "-" else {
                FileHandle.standardOutput.write(Data(page.utf8))
                log.finished("rendered the page", ["bytes": .stringConvertible(page.utf8.count), "output": .string("-")])
                return
            }
            do {
                // Written aside and renamed into place, as the run's outputs are: a failed write leaves the old page.
                let file = try AtomicOutputFile(path: output)
                try file.write(Array(page.utf8))
                try file.commit()
            } catch {
                printError("error: \(output) could not be written: \(error)")
                throw ExitCode(ExitStatus.runFailed)
            }
            log.finished("rendered the page", ["bytes": .stringConvertible(page.utf8.count), "output": .string(output)])
        }
    }
}
