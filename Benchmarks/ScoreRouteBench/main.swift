import Foundation

// `ScoreRouteBench [--rows N] [--jobs J]`: rows/s of score (streaming, J threads) and route (whole list)
// on the seeded sample list, one line per figure (what, records, seconds, records/s, peak RSS, CPU seconds).
let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let n = Int(arguments[i + 1]) else { return value }
    return n
}

try ScoreRouteFigures(rows: option("--rows", default: 1_000_000), jobs: option("--jobs", default: 2)).run()
