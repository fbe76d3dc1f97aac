import Foundation

// `MergeDecayBench [--rows N] [--reference-rows M] [--jobs J] [--join-only] [--decay-only] [--name-join-only [--name-join-errors] [--name-seed S]] [--digest]`: one line per figure
// (what, records, seconds, records/s, peak RSS). `store-crash-child` and `store-crash-child-staged` are the RunStore kill tests' children.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "store-crash-child", arguments.count == 3, let rows = Int(arguments[2]) {
    try StoreCrashChild.run(storePath: arguments[1], rows: rows)
    exit(0)
}
if arguments.first == "store-crash-child-staged", arguments.count == 3, let rows = Int(arguments[2]) {
    try StoreCrashChild.runStaged(storePath: arguments[1], rows: rows)
    exit(0)
}

func option(_ name: String, default value: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let n = Int(arguments[i + 1]) else { return value }
    return n
}

try MergeDecayFigures(rows: option("--rows", default: 1_000_000), referenceRows: option("--reference-rows", default: 100_000),
                      jobs: option("--jobs", default: 2), joinOnly: arguments.contains("--join-only"),
                      digest: arguments.contains("--digest"), decayOnly: arguments.contains("--decay-only"),
                      nameJoinOnly: arguments.contains("--name-join-only"),
                      nameJoinErrors: arguments.contains("--name-join-errors"), nameSeed: UInt64(option("--name-seed", default: 2024))).run()
