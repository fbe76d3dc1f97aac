import Foundation
import Testing
@testable import DedupeStage

/// The FEBRL folder (`shared/data/febrl`), found by walking up from this file; nil when the data is absent.
let febrlFolder: String? = {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while url.path != "/" {
        let candidate = url.appendingPathComponent("shared/data/febrl")
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("febrl1.csv").path) { return candidate.path }
        url.deleteLastPathComponent()
    }
    return nil
}()

@Suite(.enabled(if: febrlFolder != nil, "FEBRL data not found in any shared/data/febrl above this file; skipping the benchmark"))
struct FebrlBenchmarkTests {
    @Test(arguments: FebrlBenchmark.files)
    func unsupervisedDedupeReachesF1OfAtLeast0999(_ file: String) throws {
        let result = try FebrlBenchmark.run(path: (febrlFolder! as NSString).appendingPathComponent(file))
        #expect(result.evaluation.f1 >= 0.999, "\(file): \(result.evaluation)")
        #expect(result.statistics.labelEvaluation == nil)
    }
}
