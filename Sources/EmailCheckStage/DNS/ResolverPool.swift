import Dispatch
import Foundation
import Synchronization

/// A fixed set of threads, each with its own ``ResolverSession``, running lookups in submission order.
///
/// `res_state` must not be shared between threads, and `res_nquery` blocks, so a thread per
/// concurrent lookup is the simplest correct shape. Threads start on the first submission.
final class ResolverPool: Sendable {
    typealias Job = @Sendable (ResolverSession?) -> Void

    private let configuration: ResolverConfiguration
    private let threadCount: Int
    private let queue = JobQueue()
    private let started = Mutex(false)

    init(configuration: ResolverConfiguration, threads: Int) {
        self.configuration = configuration
        threadCount = threads
    }

    func submit(_ job: @escaping Job) {
        startIfNeeded()
        queue.push(job)
    }

    func shutDown() { queue.close(wakeCount: threadCount) }

    private func startIfNeeded() {
        let shouldStart = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard shouldStart else { return }
        let queue = self.queue
        let configuration = self.configuration
        for index in 0..<threadCount {
            let thread = Thread {
                // A resolver that cannot start still drains its jobs, answering "failed".
                let session = try? ResolverSession(configuration)
                while let job = queue.pop() { job(session) }
            }
            thread.name = "email_check.dns.\(index)"
            thread.stackSize = 512 * 1024 // glibc's resolver keeps its query and TCP buffers on the stack
            thread.start()
        }
    }

    /// Jobs waiting for a thread.
    final class JobQueue: Sendable {
        // A job taken is cleared from its slot: a job holds its lookup, and a slot that kept it would keep the lookup,
        // its run-store cache and that cache's unsaved verdicts alive past the run.
        private let state = Mutex<(jobs: [Job?], head: Int, closed: Bool)>(([], 0, false))
        private let available = DispatchSemaphore(value: 0)

        func push(_ job: @escaping Job) {
            state.withLock { $0.jobs.append(job) }
            available.signal()
        }

        /// The next job, or `nil` once the queue is closed.
        func pop() -> Job? {
            available.wait()
            return state.withLock { state in
                guard state.head < state.jobs.count else { return nil }
                let job = state.jobs[state.head]
                state.jobs[state.head] = nil
                state.head += 1
                if state.head > 1024, state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
        }

        func close(wakeCount: Int) {
            state.withLock { $0.closed = true }
            for _ in 0..<wakeCount { available.signal() }
        }
    }
}
