import Testing
@testable import Web

@Suite("Per-host scheduling on a synthetic clock")
struct HostSchedulerTests {
    @Test func holdsAHostsNextJobUntilTheDelayAfterTheLastOneEnded() {
        var scheduler = HostScheduler<String>(perHost: 1, delay: 0.5)
        scheduler.add("a1", host: "a.test", now: 0)
        scheduler.add("a2", host: "a.test", now: 0)
        #expect(scheduler.next(now: 0)?.job == "a1")
        #expect(scheduler.next(now: 0) == nil)          // per_host 1: a1 is still running
        scheduler.finished(host: "a.test", now: 1.0)
        #expect(scheduler.next(now: 1.2) == nil)        // delay: not before 1.5
        #expect(scheduler.nextWakeup() == 1.5)
        #expect(scheduler.next(now: 1.5)?.job == "a2")
        #expect(scheduler.pendingCount == 0)
    }

    @Test func servesHostsInTurn() {
        var scheduler = HostScheduler<String>(perHost: 1, delay: 0)
        for job in ["a1", "a2", "a3"] { scheduler.add(job, host: "a.test", now: 0) }
        for job in ["b1", "b2"] { scheduler.add(job, host: "b.test", now: 0) }
        var started: [String] = []
        while let (host, job) = scheduler.next(now: 0) {
            started.append(job)
            scheduler.finished(host: host, now: 0)
        }
        #expect(started == ["a1", "b1", "a2", "b2", "a3"])
    }

    @Test func allowsUpToPerHostTransfersAtOnce() {
        var scheduler = HostScheduler<Int>(perHost: 2, delay: 0)
        for i in 0..<5 { scheduler.add(i, host: "a.test", now: 0) }
        #expect(scheduler.next(now: 0) != nil)
        #expect(scheduler.next(now: 0) != nil)
        #expect(scheduler.next(now: 0) == nil)
        #expect(scheduler.inFlight("a.test") == 2)
    }

    @Test func delaysARetryAndTheHostWithIt() {
        var scheduler = HostScheduler<String>(perHost: 1, delay: 0)
        scheduler.add("retry", host: "a.test", notBefore: 3, now: 0)
        scheduler.add("later", host: "a.test", now: 0)
        #expect(scheduler.next(now: 2.9) == nil)   // Retry-After applies to the whole host
        #expect(scheduler.next(now: 3)?.job == "retry")
    }
}
