import Foundation

/// The process's resident memory as the kernel counts it: the one reader the run's memory budget, dedupe's
/// phase laps and the benchmarks share.
///
/// A phase's live data is not its RSS: the allocator keeps freed pages, so what a run costs a user
/// is the peak the kernel saw, and that is what benchmarks report.
public enum ResidentMemory {
    /// Current and peak resident memory in MiB (`VmRSS` and `VmHWM` of `/proc/self/status`); zeros where
    /// `/proc` is not available.
    public static func current() -> (residentMiB: Double, peakMiB: Double) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        var resident = 0.0, peak = 0.0
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { resident = kibibytes(line) / 1024 }
            else if line.hasPrefix("VmHWM:") { peak = kibibytes(line) / 1024 }
        }
        return (resident, peak)
    }

    /// The process's peak resident memory so far, in MiB.
    public static var peakMiB: Double { current().peakMiB }

    /// The resident memory now in bytes, from `/proc/self/statm`: cheap enough to ask every few chunks.
    public static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Starts a new peak: from now on `peakMiB` is the highest resident memory since this call
    /// (Linux `clear_refs` 5). Returns false where the kernel does not allow it.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)); return true } catch { return false }
    }

    private static func kibibytes(_ line: Substring) -> Double {
        Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
