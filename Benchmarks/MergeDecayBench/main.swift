import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "store-crash-child", arguments.count == 3, let rows = Int(arguments[2]) {
    try StoreCrashChild.run(storePath: arguments[1], rows: rows)
    exit(0)
}
print("scaffolding: this benchmark is not written yet")
