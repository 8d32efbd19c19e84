public import Foundation

/// The authenticated caller of a request: who the verified bearer token speaks for.
public struct Principal: Sendable, Equatable {
    /// The user the token was issued to (the configured user claim, default `sub`).
    public let userID: UserID
    /// When the token stops being accepted (its `exp`, without leeway).
    public let expiresAt: Date
    /// The token's `iss`, when it has one.
    public let issuer: String?
    /// The OAuth client the token was issued for (`client_id`, else the first `aud`), when present.
    public let clientID: String?

    /// Creates a principal.
    /// - Parameters:
    ///   - userID: The user the token speaks for.
    ///   - expiresAt: The token's expiry.
    ///   - issuer: The token's issuer, if any.
    ///   - clientID: The token's client, if any.
    public init(userID: UserID, expiresAt: Date, issuer: String? = nil, clientID: String? = nil) {
        self.userID = userID
        self.expiresAt = expiresAt
        self.issuer = issuer
        self.clientID = clientID
    }
}
