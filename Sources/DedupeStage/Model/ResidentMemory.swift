import Foundation

/// The process's resident memory as the kernel counts it (`VmRSS` and `VmHWM` of `/proc/self/status`).
///
/// A phase's live data is not its RSS: the allocator keeps freed pages, so what a run costs a user
/// is the peak the kernel saw, and that is what benchmarks report.
public enum ResidentMemory {
    /// Current and peak resident memory in MiB; zeros where `/proc` is not available.
    public static func current() -> (residentMiB: Double, peakMiB: Double) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        var resident = 0.0, peak = 0.0
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { resident = kibibytes(line) / 1024 }
            else if line.hasPrefix("VmHWM:") { peak = kibibytes(line) / 1024 }
        }
        return (resident, peak)
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
