public import CoreStore
import Synchronization

/// A token bucket per user on this node: each authenticated request takes a token; tokens come
/// back at `rate` per second up to `burst`. One user's flood then costs the others nothing but
/// the refusals' CPU. Users are keyed by ``UserID`` (its bytes).
///
/// Per node: a fleet of N nodes behind a load balancer admits up to N × `rate` for one user.
/// With Redis configured, ``FleetRequestLimiter`` keeps one bucket for the fleet and uses this
/// one only while Redis is unreachable.
public final class UserRequestLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[UserID: Bucket]>([:])
    /// Past this many users, buckets that have refilled completely are dropped (they hold no state).
    private let pruneAbove = 10_000

    /// - Parameters:
    ///   - requestsPerSecond: Sustained requests per second per user (> 0).
    ///   - burst: Requests a user may make at once (at least 1).
    public init(requestsPerSecond: Double, burst: Int) {
        self.rate = requestsPerSecond
        self.burst = Double(max(burst, 1))
    }

    /// Takes a token for `userID` at `now`.
    /// - Throws: `.rateLimited` when the user's bucket is empty.
    public func admit(_ userID: UserID, now: ContinuousClock.Instant = .now) throws(CoreStoreError) {
        let admitted = buckets.withLock { buckets -> Bool in
            var bucket = buckets[userID] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + rate * Self.seconds(now - bucket.updated))
            bucket.updated = now
            let admitted = bucket.tokens >= 1
            if admitted { bucket.tokens -= 1 }
            buckets[userID] = bucket
            if buckets.count > pruneAbove { prune(&buckets, now: now) }
            return admitted
        }
        guard admitted else { throw CoreStoreError(.rateLimited) }
    }

    /// Users with a bucket now (tests).
    public var trackedUsers: Int { buckets.withLock { $0.count } }

    private func prune(_ buckets: inout [UserID: Bucket], now: ContinuousClock.Instant) {
        buckets = buckets.filter { $0.value.tokens + rate * Self.seconds(now - $0.value.updated) < burst }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
