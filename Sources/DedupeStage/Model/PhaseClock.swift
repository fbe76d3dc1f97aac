import LeadFacts

/// One phase of a run: how long it took and the process's resident memory when it ended.
public struct PhaseLap: Sendable {
    /// `keys`, `prepare`, `pairs`, `train`, `score`, `cluster`, `entities`, `explain`, `annotate`, `review`.
    public var name: String
    /// Wall-clock seconds the phase took.
    public var seconds: Double
    /// Resident memory at the end of the phase, in MiB (0 where the platform does not say).
    public var residentMiB: Double
    /// The process's peak resident memory so far, in MiB (0 where the platform does not say).
    public var peakMiB: Double
}

/// Laps for the phases of a run (reported, never asserted).
struct PhaseClock {
    private var last = MonotonicClock.now()
    private(set) var laps: [PhaseLap] = []

    mutating func lap(_ name: String) {
        let now = MonotonicClock.now()
        let memory = ResidentMemory.current()
        laps.append(PhaseLap(name: name, seconds: now - last,
                             residentMiB: memory.residentMiB, peakMiB: memory.peakMiB))
        last = now
    }

    /// Starts the next lap now, leaving out the time since the last one (measured elsewhere).
    mutating func skip() { last = MonotonicClock.now() }
}
