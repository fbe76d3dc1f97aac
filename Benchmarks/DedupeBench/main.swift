import DedupeStage
import Foundation
import LeadFacts

// DedupeBench: `febrl <folder>` scores the dedupe stage on FEBRL 1–3; `leads ...` on `lead-sample` leads, `contacts ...` on `contact-list` contacts (the independent generator).
// Prints one line per figure: what, records, seconds, pairs compared, peak RSS, precision/recall/F1.

func runFebrl(folder: String, explain: Bool) throws -> Int32 {
    var failed = false
    for file in FebrlBenchmark.files {
        let path = (folder as NSString).appendingPathComponent(file)
        let result = try FebrlBenchmark.run(path: path, explainErrors: explain)
        let e = result.evaluation
        print(String(format: "dedupe febrl %@: %d records, %.3f s, %d pairs compared, precision %.4f recall %.4f F1 %.4f, peak RSS %.0f MiB",
                     file, result.rows, result.seconds, result.statistics.pairsCompared, e.precision, e.recall, e.f1, ResidentMemory.current().peakMiB))
        if e.f1 < 0.999 { failed = true }
        for line in result.errors { print("  " + line) }
        if explain { print("  weights: \(result.statistics.weights.map { "\($0.0)=" + $0.1.map { String(format: "%@:%.1f", $0.0, $0.1) }.joined(separator: "/") }.joined(separator: " ")) prior \(result.statistics.prior)") }
    }
    return failed ? 1 : 0
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "febrl":
        exit(try runFebrl(folder: arguments.count > 1 ? arguments[1] : "../shared/data/febrl", explain: arguments.contains("--explain")))
    case "leads-file":
        guard arguments.count >= 3 else { print("usage: DedupeBench leads-file LEADS.csv TRUTH.csv"); exit(2) }
        var leads = try LeadFile.load(leads: arguments[1], truth: arguments[2])
        try dedupe(&leads, explain: 0)
    case "leads", "contacts":
        let generator = GeneratedLeads.Generator(rawValue: arguments[0])!
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        let sizes = (option("--rows") ?? "100000,1000000").split(separator: ",").compactMap { Int($0) }
        let seed = UInt64(option("--seed") ?? "42") ?? 42
        let explain = Int(option("--explain") ?? "0") ?? 0
        let problemRate = option("--problem-rate").flatMap(Double.init)
        if sizes.count == 1 {
            try runLeads(generator, rows: sizes[0], seed: seed, explain: explain, problemRate: problemRate, cache: option("--cache"))
        } else {
            // One process per size, so each peak RSS is that size's own.
            for size in sizes {
                let child = Process()
                child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
                child.arguments = [generator.rawValue, "--rows", String(size), "--seed", String(seed), "--explain", String(explain)]
                    + (problemRate.map { ["--problem-rate", String($0)] } ?? [])
                    + (option("--cache-dir").map { ["--cache", "\($0)/\(generator.rawValue)-\(size)-\(seed).txt"] } ?? [])
                try child.run()
                child.waitUntilExit()
                if child.terminationStatus != 0 { exit(child.terminationStatus) }
            }
        }
    default:
        print("usage: DedupeBench febrl <folder> [--explain] | leads-file LEADS.csv TRUTH.csv | leads|contacts [--rows N[,N…]] [--seed S] [--problem-rate P] [--explain K] [--cache FILE | --cache-dir DIR]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("DedupeBench: \(error)\n".utf8))
    exit(1)
}
