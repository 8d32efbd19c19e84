import CoreStore
import Synchronization

/// Caps how many uploads one user runs at once on this node, so that one user cannot take every
/// connection, spool byte and part slot of a node. Users are keyed by ``UserID`` (its bytes).
final class UserUploadSlots: Sendable {
    private let limit: Int
    private let inFlight = Mutex<[UserID: Int]>([:])

    /// - Parameter limit: Uploads one user may run at once; 0 means no limit.
    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `body` holding one of `userID`'s slots.
    /// - Throws: `.rateLimited` when the user already runs `limit` uploads; whatever `body` throws.
    func withSlot<Result>(for userID: UserID, _ body: () async throws -> Result) async throws -> Result {
        try take(userID)
        defer { release(userID) }
        return try await body()
    }

    /// Uploads `userID` runs now (tests, metrics).
    func count(for userID: UserID) -> Int {
        inFlight.withLock { $0[userID] ?? 0 }
    }

    private func take(_ userID: UserID) throws(CoreStoreError) {
        let taken = inFlight.withLock { counts -> Bool in
            let current = counts[userID] ?? 0
            guard limit == 0 || current < limit else { return false }
            counts[userID] = current + 1
            return true
        }
        guard taken else {
            throw CoreStoreError(.rateLimited, "too many uploads in progress for this user - please retry later")
        }
    }

    private func release(_ userID: UserID) {
        inFlight.withLock { counts in
            let remaining = (counts[userID] ?? 1) - 1
            counts[userID] = remaining > 0 ? remaining : nil
        }
    }
}
