import Synchronization

/// Where a long stage says how far it has got: the phase it is in (`blocking`, `scoring pairs`,
/// `comparing with last run`) and, where it knows them, the items done of the items it has.
///
/// The progress line reads it on its timer, so a whole-list stage that works for a minute still shows
/// what it is doing and how far it is. Counting is one relaxed atomic add, cheap enough for hot loops;
/// the ``silent`` instance (lint, tests, tools) ignores every call.
///
/// ```swift
/// progress.phase("scoring pairs", done: 0, of: candidates.count)
/// // on the workers, every few thousand pairs:
/// progress.advance(by: 4096)
/// ```
public final class StageProgress: Sendable {
    /// What a stage last said: its phase, when the phase began, and items done of items.
    public struct Snapshot: Sendable, Equatable {
        public var phase: String
        public var started: ContinuousClock.Instant
        public var done: Int?
        public var total: Int?
        /// Whether the items take about as long each, so the pace so far tells the time left.
        public var isPaced: Bool
    }

    /// A reporter that keeps nothing: for runs without a progress line.
    public static let silent = StageProgress(keepsNothing: true)

    private let keepsNothing: Bool
    private let current = Mutex<Snapshot?>(nil)
    /// Items done in the current phase, apart from the phase so workers add without taking the lock.
    private let done = Atomic<Int>(0)
    /// Whether the current phase counts items (a phase without `done` shows none).
    private let counts = Atomic<Bool>(false)
    /// Called on the stage's thread when it enters a phase, so a phase shorter than the redraw interval
    /// is still shown once.
    private let observer = Mutex<(@Sendable () -> Void)?>(nil)

    public convenience init() { self.init(keepsNothing: false) }

    private init(keepsNothing: Bool) { self.keepsNothing = keepsNothing }

    /// Enters a phase: `done` items of `total` so far (`nil` when the stage does not count this phase).
    /// - Parameter paced: `false` when early items cost far more than late ones (clustering's first links
    ///   join groups, its last ones mostly find them joined), so no time left is guessed from the pace.
    public func phase(_ name: String, done: Int? = nil, of total: Int? = nil, paced: Bool = true) {
        guard !keepsNothing else { return }
        current.withLock { $0 = Snapshot(phase: name, started: .now, done: nil, total: total, isPaced: paced) }
        self.done.store(done ?? 0, ordering: .relaxed)
        counts.store(done != nil || total != nil, ordering: .relaxed)
        observer.withLock { $0 }?()
    }

    /// Calls `body` whenever the stage enters a phase (the progress line redraws).
    public func observePhases(_ body: @escaping @Sendable () -> Void) {
        observer.withLock { $0 = body }
    }

    /// Adds `items` to the current phase's count, from any thread.
    public func advance(by items: Int = 1) {
        guard !keepsNothing else { return }
        done.wrappingAdd(items, ordering: .relaxed)
    }

    /// Sets the current phase's count (a loop on one thread that knows where it is).
    public func update(done items: Int) {
        guard !keepsNothing else { return }
        done.store(items, ordering: .relaxed)
    }

    /// Forgets the phase: the stage has ended.
    public func clear() {
        guard !keepsNothing else { return }
        current.withLock { $0 = nil }
        counts.store(false, ordering: .relaxed)
    }

    /// The phase now, with its count; `nil` before the stage said anything or after ``clear()``.
    public var snapshot: Snapshot? {
        guard var snapshot = current.withLock({ $0 }) else { return nil }
        if counts.load(ordering: .relaxed) {
            let items = done.load(ordering: .relaxed)
            snapshot.done = snapshot.total.map { min(items, $0) } ?? items
        }
        return snapshot
    }
}
