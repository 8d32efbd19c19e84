import Metrics
import Synchronization

/// Whether the node is draining (SIGTERM received): readiness answers 503 at once so the load
/// balancer stops routing, while in-flight transfers finish. Also counts in-flight transfers.
public final class DrainState: Sendable {
    private let draining = Atomic<Bool>(false)
    private let inFlight = Atomic<Int>(0)

    private static var gauge: Gauge { Gauge(label: "uds_transfers_in_flight") }

    /// Creates a state that is not draining.
    public init() {}

    /// True once draining began.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Starts draining.
    public func beginDraining() { draining.store(true, ordering: .relaxed) }

    /// Transfers currently running.
    public var inFlightTransfers: Int { inFlight.load(ordering: .relaxed) }

    /// Runs a transfer, counting it as in flight.
    /// - Parameter body: The transfer.
    public func track<T>(_ body: () async throws -> T) async rethrows -> T {
        let now = inFlight.add(1, ordering: .relaxed).newValue
        Self.gauge.record(now)
        defer { Self.gauge.record(inFlight.subtract(1, ordering: .relaxed).newValue) }
        return try await body()
    }
}
