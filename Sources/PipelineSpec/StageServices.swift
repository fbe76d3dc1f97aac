/// What a run hands its stages beyond rows and options: the persistent caches of its `store:` (DNS
/// verdicts, fetched pages, entity ids) and, in tests, a real local stand-in.
///
/// Each stage module declares the protocol it needs (`DomainVerdictCache`, `PageCache`); whoever builds
/// the run — the library for `leadhygiene run`, a test for its own — provides an opener for it. Services
/// travel in the ``StageContext`` of one run, never through process-wide registries, so two runs in one
/// process (or two tests) cannot see each other's store.
public struct StageServices: Sendable {
    private var openers: [ObjectIdentifier: @Sendable () throws -> Any] = [:]

    public init() {}

    /// Provides `Service` to the stages of this run; `open` runs when a stage asks, so `lint`, which
    /// builds stages without asking, opens nothing.
    public mutating func provide<Service>(_ type: Service.Type, _ open: @escaping @Sendable () throws -> Service) {
        openers[ObjectIdentifier(type)] = { try open() }
    }

    /// Opens the `Service` provided for this run; `nil` when none was.
    public func open<Service>(_ type: Service.Type) throws -> Service? {
        guard let opener = openers[ObjectIdentifier(type)] else { return nil }
        return try opener() as? Service
    }

    /// These services with `other`'s added (`other` wins where both provide one).
    public func adding(_ other: StageServices) -> StageServices {
        var merged = self
        merged.openers.merge(other.openers) { _, theirs in theirs }
        return merged
    }
}
