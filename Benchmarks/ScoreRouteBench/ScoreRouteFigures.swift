import Dispatch
import Foundation
import LeadRecords
import LeadSampleGenerator
import PipelineFileLoading
import PipelineSpec
import RouteStage
import ScoreStage
import Synchronization

/// score and route on the seeded sample leads, held in memory as the executor holds them.
struct ScoreRouteFigures {
    let rows: Int
    let jobs: Int
    let seed: UInt64 = 7

    /// Employee counts as exports write them, so the bench reads the shapes real files hold.
    static let employeeTexts = ["12", "75", "640", "1,200", "200-500", "10k+", "", "51-200", "3,500", "unknown"]

    static let scoreOptions = """
        name: icp
        groups:
          - name: size
            cap: 30
            rules:
              - { when: "Employees between 200 and 2000", points: 30 }
              - { when: "Employees between 50 and 199", points: 15 }
          - name: persona
            cap: 40
            rules:
              - { when: "title matches_any [vp, head of, director, chief, ceo, cfo, cto] and not title matches_any [assistant, intern]", points: 40 }
              - { when: "title matches_any [manager, lead]", points: 15 }
          - name: penalties
            rules:
              - { when: "email matches_any [gmail com, yahoo com, hotmail com]", points: -20, label: free mail }
              - { when: "country in [KP, IR, SY, CU]", exclude: sanctioned_country }
        tiers: { A: ">= 70", B: ">= 45", C: ">= 20", D: else }
        gates: { A: "not email is_missing" }
        """

    static let routeOptions = """
        accounts: { path: ACCOUNTS }
        rules:
          - { when: "not account_owner is_missing", owner: account_owner }
          - { when: "country in [Germany, Deutschland, DE, DEU, Austria, AT, Switzerland, CH]", pool: dach }
          - { when: "icp_tier == A", pool: enterprise }
          - { default: true, pool: smb }
        pools:
          dach: { members: [ { rep: anna@example.com, weight: 2, cap: 20000 }, { rep: ben@example.com } ] }
          enterprise: { members: [ { rep: cara@example.com }, { rep: carl@example.com } ] }
          smb: { members: [ { rep: dan@example.com }, { rep: eve@example.com }, { rep: fay@example.com, weight: 2 } ] }
        """

    func run() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("score-route-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // The generator makes ~25k rows/s, so beyond 100k rows the sample repeats with distinct ids and emails.
        let header = LeadSampleGenerator.leadColumns + ["Employees"]
        var base: [[String]] = []
        var generator = LeadSampleGenerator(.init(rows: min(rows, 100_000), seed: seed))
        generator.generate { row in if row.malformed == nil { base.append(row.values) } }
        let email = header.firstIndex(of: "Email")!, website = header.firstIndex(of: "Website")!, company = header.firstIndex(of: "Company")!

        // A CRM accounts export: every third company of the sample, a fifth of them without an owner.
        var accounts = "Account ID,Account Name,Website,Account Owner\n"
        var seen = Set<String>()
        for values in base where seen.insert(values[company]).inserted {
            guard seen.count % 3 == 0 else { continue }
            let owner = seen.count % 5 == 0 ? "" : "rep\(seen.count % 40)@example.com"
            accounts += "A\(seen.count),\"\(values[company])\",\(values[website]),\(owner)\n"
        }
        let accountsPath = dir.appendingPathComponent("accounts.csv").path
        try accounts.write(toFile: accountsPath, atomically: true, encoding: .utf8)

        var schema = Schema(inputColumns: header)
        var columns = ColumnBindings()
        for (field, name) in [(CanonicalField.recordID, "Lead ID"), (.email, "Email"), (.title, "Title"), (.company, "Company"),
                              (.website, "Website"), (.country, "Country")] {
            columns[field] = schema.index(of: name)
        }
        let context = StageContext(pipelineFile: "bench.yml", jobs: jobs)
        let score = try ScoreStage(options: try Self.options(Self.scoreOptions, ScoreStage.descriptor), context: context)
        guard case .streaming(let scorer) = try score.bound(schema: &schema, columns: columns) else { return }
        let route = try RouteStage(options: try Self.options(Self.routeOptions.replacingOccurrences(of: "ACCOUNTS", with: accountsPath),
                                                             RouteStage.descriptor), context: context)
        guard case .wholeList(let router) = try route.bound(schema: &schema, columns: columns) else { return }

        // Rows as the executor's parser makes them: each row's fields packed by a builder, the row as wide
        // as the schema.
        var leads: [Record] = []
        leads.reserveCapacity(rows)
        var builder = PackedFieldsBuilder()
        while leads.count < rows {
            let copy = leads.count / base.count
            for (i, values) in base.enumerated() where leads.count < rows {
                var values = values + [Self.employeeTexts[i % Self.employeeTexts.count]]
                if copy > 0 {
                    values[0] += "-\(copy)"
                    values[email] = "r\(copy)." + values[email]
                }
                for var value in values { value.withUTF8 { builder.append($0) } }
                leads.append(Record(fields: builder.finish(width: schema.count), line: leads.count + 2))
            }
        }
        // Chunks as the executor hands them to score; splitting and joining them is not score's work.
        var chunks: [[Record]] = stride(from: 0, to: leads.count, by: 10_000).map { Array(leads[$0..<min($0 + 10_000, leads.count)]) }
        leads = []
        let scoreSeconds = measure("score (3 groups, 6 rules, 4 tiers, \(jobs) jobs)", records: rows) {
            inParallel(&chunks) { chunk in
                scorer.process(&chunk)
            }
        }
        for chunk in chunks { leads.append(contentsOf: chunk) }
        chunks = []
        let routeSeconds = try measure("route (\(accounts.split(separator: "\n").count - 1) accounts, 3 pools, whole list, \(jobs) jobs)", records: rows) {
            _ = try router.processAllErasingSummary(&leads)
        }
        let seconds = scoreSeconds + routeSeconds
        print(String(format: "score + route\trecords=%d\tseconds=%.3f\trecords_per_s=%.0f", rows, seconds, Double(rows) / seconds))
        print("score + route digest\trecords=\(rows)\tcolumns=\(schema.count - header.count)\tdigest=\(Self.digest(leads, from: header.count))")
    }

    /// FNV-1a over every column the two stages add and each row's rejection, in input order: equal
    /// digests before and after a change to either stage mean byte-identical results.
    static func digest(_ records: [Record], from firstAdded: Int) -> String {
        var hash = ContentHash()
        for record in records {
            if case .rejected(let rejection) = record.disposition {
                hash.combine("rejected " + rejection.reason.code)
                hash.combine(rejection.detail)
                continue
            }
            for value in record.values[firstAdded...] { hash.combine(value) }
        }
        return hash.hex
    }
    static func options(_ yaml: String, _ descriptor: StageDescriptor) throws -> OptionValues {
        let body = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
        let text = "name: bench\ninput: { path: leads.csv }\nstages:\n  - \(descriptor.name):\n\(body)\n"
        let (file, diagnostics) = PipelineFileLoader(stages: [descriptor]).decodeCollecting(text, file: "bench.yml")
        if let problem = diagnostics.first { throw OptionProblem(problem.description) }
        guard let options = file?.stages.first?.options else { throw OptionProblem("no options") }
        return options
    }

    /// Runs `body` on every chunk from `jobs` threads, as the executor does.
    func inParallel(_ chunks: inout [[Record]], _ body: @Sendable (inout [Record]) -> Void) {
        let next = Mutex(0)
        let count = chunks.count
        chunks.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let shared = buffer
            DispatchQueue.concurrentPerform(iterations: jobs) { _ in
                while true {
                    let i = next.withLock { value in
                        defer { value += 1 }
                        return value
                    }
                    guard i < count else { return }
                    body(&shared[i])
                }
            }
        }
    }

    /// Runs `body`, prints its line and returns its wall seconds.
    func measure(_ what: String, records: Int, _ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        let cpuStart = cpuSeconds()
        try body()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let line = String(format: "%@\trecords=%d\tseconds=%.3f\trecords_per_s=%.0f\tpeak_rss_mb=%.0f\tcpu_seconds=%.3f\n",
                          what, records, seconds, Double(records) / seconds, peakRSSMegabytes(), cpuSeconds() - cpuStart)
        FileHandle.standardOutput.write(Data(line.utf8))
        return seconds
    }

    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
