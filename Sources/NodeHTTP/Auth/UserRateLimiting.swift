public import CoreStore

/// Admits or refuses one authenticated request of a user (the per-user request rate).
public protocol UserRateLimiting: Sendable {
    /// Takes a token for `userID`.
    /// - Throws: `.rateLimited` when the user is over its rate.
    func admit(_ userID: UserID) async throws
}

extension UserRequestLimiter: UserRateLimiting {
    /// Takes a token for `userID` now (see ``admit(_:now:)``).
    /// - Throws: `.rateLimited`.
    public func admit(_ userID: UserID) async throws {
        try admit(userID, now: .now)
    }
}
