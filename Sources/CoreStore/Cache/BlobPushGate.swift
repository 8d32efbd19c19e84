import Synchronization

/// Bounds the best-effort pushes of whole objects into the blob cache (Redis) that a node makes
/// after an upload commits or a cache fill completes. Each push holds a chunk in memory and
/// takes a Redis connection and a blocking-pool thread, and under a burst of 1000 uploads
/// Redis would otherwise receive a copy of every object at once. At most `limit` pushes run at
/// once; beyond that a push is skipped (the object is still served from the disk cache or the
/// object store, and a later fill can push it).
public final class BlobPushGate: Sendable {
    /// Pushes allowed at once.
    public let limit: Int
    private let inFlight = Atomic<Int>(0)

    /// - Parameter limit: Pushes allowed at once (16 by default).
    public init(limit: Int = 16) {
        self.limit = max(0, limit)
    }

    /// Runs `push` when fewer than `limit` pushes are running; otherwise skips it.
    /// - Returns: Whether `push` ran.
    @discardableResult
    public func ifAvailable(_ push: () async -> Void) async -> Bool {
        guard inFlight.add(1, ordering: .relaxed).newValue <= limit else {
            inFlight.subtract(1, ordering: .relaxed)
            return false
        }
        await push()
        inFlight.subtract(1, ordering: .relaxed)
        return true
    }
}
