import Foundation

/// Seconds on a clock that never jumps: the one clock for stage timings, phase laps, fetch scheduling and
/// back-off, and the progress line (the wall clock, `Date`, is only for what a report shows as a time of day).
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point (boot).
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Seconds since `start`, a value of ``now()``.
    public static func seconds(since start: Double) -> Double { now() - start }
}
