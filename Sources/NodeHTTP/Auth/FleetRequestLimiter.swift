public import CoreStore
import Synchronization

/// The per-user request rate across the whole fleet: one ``RedisTokenBucket`` per user, shared by
/// every node, leased a few tokens at a time.
///
/// A node takes up to `leaseTokens` tokens per Redis call and spends them on the user's next
/// requests within `leaseSeconds` (unspent ones are dropped after that, so a lease cannot be
/// saved up into a later burst). The fleet therefore admits at most `burst` at once and `rate`
/// per second per user, whatever the number of nodes. While Redis is unreachable (the client's
/// breaker is open) the node falls back to its own per-node bucket with the same numbers, so an
/// outage loosens the limit to the per-node one instead of refusing everyone.
public final class FleetRequestLimiter: UserRateLimiting {
    private struct Lease {
        var tokens: Int
        var granted: ContinuousClock.Instant
    }

    private let bucket: RedisTokenBucket
    private let fallback: UserRequestLimiter
    private let leaseTokens: Int
    private let leaseDuration: Duration
    private let leases = Mutex<[UserID: Lease]>([:])
    /// Past this many users, expired leases are dropped.
    private let pruneAbove = 10_000

    /// - Parameters:
    ///   - bucket: The shared bucket.
    ///   - fallback: The per-node limiter used while Redis is unreachable.
    ///   - leaseTokens: Tokens taken per Redis call (default: a twentieth of the burst, 1…10).
    ///   - leaseSeconds: How long leased tokens stay spendable.
    public init(
        bucket: RedisTokenBucket, fallback: UserRequestLimiter, leaseTokens: Int? = nil, leaseSeconds: Double = 1
    ) {
        self.bucket = bucket
        self.fallback = fallback
        self.leaseTokens = leaseTokens ?? min(10, max(1, bucket.burst / 20))
        self.leaseDuration = .milliseconds(Int64(leaseSeconds * 1000))
    }

    /// Spends a leased token, or leases more from Redis.
    /// - Throws: `.rateLimited` when the fleet-wide bucket (or, Redis being down, the node's) is empty.
    public func admit(_ userID: UserID) async throws {
        if spendLeased(userID, now: .now) { return }
        let granted: Int
        do {
            granted = try await bucket.take(leaseTokens, for: userID)
        } catch {
            try fallback.admit(userID, now: .now)
            return
        }
        guard granted > 0 else { throw CoreStoreError(.rateLimited) }
        if granted > 1 { store(granted - 1, for: userID, now: .now) }
    }

    /// Tokens leased for `userID` and still spendable (tests).
    public func leasedTokens(for userID: UserID) -> Int {
        leases.withLock { $0[userID].map { ContinuousClock.now - $0.granted < leaseDuration ? $0.tokens : 0 } ?? 0 }
    }

    private func spendLeased(_ userID: UserID, now: ContinuousClock.Instant) -> Bool {
        leases.withLock { leases in
            guard var lease = leases[userID], lease.tokens > 0, now - lease.granted < leaseDuration else {
                return false
            }
            lease.tokens -= 1
            leases[userID] = lease.tokens > 0 ? lease : nil
            return true
        }
    }

    private func store(_ tokens: Int, for userID: UserID, now: ContinuousClock.Instant) {
        leases.withLock { leases in
            let unspent = leases[userID].map { now - $0.granted < leaseDuration ? $0.tokens : 0 } ?? 0
            leases[userID] = Lease(tokens: unspent + tokens, granted: now)
            if leases.count > pruneAbove {
                leases = leases.filter { now - $0.value.granted < leaseDuration }
            }
        }
    }
}
