/// Decides which queued job may start next so no host gets more than `perHost` transfers at once,
/// hosts wait `delay` seconds between transfers, and hosts take turns (round robin).
///
/// Each operation costs O(1) amortized plus a scan of the hosts currently waiting out a delay,
/// which is bounded by the number of hosts recently served.
struct HostScheduler<Job> {
    private struct HostState {
        var queue: [Job] = []
        var head = 0
        var inFlight = 0
        var readyAt = 0.0
        var listed = false
        var pending: Int { queue.count - head }
    }

    let perHost: Int
    let delay: Double
    private var hosts: [String: HostState] = [:]
    private var ready: [String] = []
    private var readyHead = 0
    private var waiting: Set<String> = []
    private(set) var pendingCount = 0

    init(perHost: Int, delay: Double) {
        self.perHost = max(1, perHost)
        self.delay = max(0, delay)
    }

    /// Transfers currently running to `host`.
    func inFlight(_ host: String) -> Int { hosts[host]?.inFlight ?? 0 }

    /// Queues a job for `host`, not to start before `notBefore` (a monotonic time in seconds).
    mutating func add(_ job: Job, host: String, notBefore: Double = 0, now: Double) {
        hosts[host, default: HostState()].queue.append(job)
        if notBefore > hosts[host]!.readyAt { hosts[host]!.readyAt = notBefore }
        pendingCount += 1
        list(host, now: now)
    }

    /// The next job allowed to start now, counted as in flight until ``finished(host:now:)``.
    mutating func next(now: Double) -> (host: String, job: Job)? {
        if !waiting.isEmpty {
            for host in waiting where hosts[host]!.readyAt <= now {
                waiting.remove(host)
                hosts[host]!.listed = false
                list(host, now: now)
            }
        }
        while readyHead < ready.count {
            let host = ready[readyHead]
            readyHead += 1
            if readyHead > 1024, readyHead * 2 > ready.count {
                ready.removeFirst(readyHead)
                readyHead = 0
            }
            hosts[host]!.listed = false
            let state = hosts[host]!
            guard state.pending > 0, state.inFlight < perHost else { continue }
            guard state.readyAt <= now else { list(host, now: now); continue }
            var updated = state
            let job = updated.queue[updated.head]
            updated.head += 1
            if updated.head == updated.queue.count {
                updated.queue.removeAll(keepingCapacity: false)
                updated.head = 0
            }
            updated.inFlight += 1
            hosts[host] = updated
            pendingCount -= 1
            list(host, now: now)
            return (host, job)
        }
        return nil
    }

    /// Records the end of a transfer to `host`; its next job waits out the per-host delay.
    mutating func finished(host: String, now: Double) {
        hosts[host]!.inFlight -= 1
        hosts[host]!.readyAt = max(hosts[host]!.readyAt, now + delay)
        list(host, now: now)
    }

    /// The earliest time a waiting host becomes ready, if any host is waiting.
    func nextWakeup() -> Double? {
        waiting.compactMap { hosts[$0]?.readyAt }.min()
    }

    /// Whether some job could start right now.
    var hasReady: Bool { readyHead < ready.count }

    private mutating func list(_ host: String, now: Double) {
        guard let state = hosts[host], !state.listed, state.pending > 0, state.inFlight < perHost else { return }
        hosts[host]!.listed = true
        if state.readyAt <= now { ready.append(host) } else { waiting.insert(host) }
    }
}
