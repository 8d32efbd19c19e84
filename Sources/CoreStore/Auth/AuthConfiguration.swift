public import Foundation

/// What a bearer token must satisfy, for both verifiers.
///
/// HS256 mode (embedded; `jwksURL == nil`): the secret comes from ``HMACSecretFile`` or the
/// configuration, `iss` is checked only when ``issuer`` is set, no `token_use` is required.
/// JWKS mode (Cognito): keys come from ``jwksURL``; `iss` must equal ``issuer`` when set (set it:
/// a Cognito issuer is `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`),
/// `token_use` must equal ``requiredTokenUse`` (default `"access"`), and `client_id` (or `aud`)
/// must be in ``clientIDs`` when the list is non-empty.
public struct AuthConfiguration: Sendable, Equatable {
    /// The `token_use` JWKS mode requires unless told otherwise (Cognito access tokens).
    public static let defaultJWKSTokenUse = "access"

    /// Where the JWKS lives (`https://…/.well-known/jwks.json` or `file:///…`); `nil` selects HS256.
    public var jwksURL: String?
    /// The required `iss`; `nil` accepts any (and a missing) issuer.
    public var issuer: String?
    /// Allowed clients: a token's `client_id` (access tokens) or one of its `aud` values (id tokens)
    /// must be listed. Empty accepts any client.
    public var clientIDs: [String]
    /// The required `token_use` claim; `nil` requires none. The initializer sets
    /// ``defaultJWKSTokenUse`` when ``jwksURL`` is set and `nil` otherwise; assign to override.
    public var requiredTokenUse: String?
    /// The claim holding the user id (default `sub`; Cognito also offers `username`).
    public var userClaim: String
    /// Clock skew tolerated on `exp` and `nbf`, in seconds (default 60).
    public var leeway: TimeInterval
    /// Keys older than this are refetched on the next request, in seconds (default 3600).
    public var jwksRefreshInterval: TimeInterval
    /// At most one JWKS fetch per this many seconds, however many unknown `kid`s arrive (default 60).
    public var jwksMinimumRefetchInterval: TimeInterval

    /// Creates a configuration.
    /// - Parameters:
    ///   - jwksURL: JWKS location; `nil` selects HS256 mode.
    ///   - issuer: Required `iss`, if any.
    ///   - clientIDs: Allowed `client_id`/`aud` values; empty allows any.
    ///   - userClaim: The claim holding the user id.
    ///   - leeway: Tolerated clock skew in seconds.
    ///   - jwksRefreshInterval: Maximum key age in seconds before a refetch.
    ///   - jwksMinimumRefetchInterval: Minimum seconds between two JWKS fetches.
    public init(
        jwksURL: String? = nil,
        issuer: String? = nil,
        clientIDs: [String] = [],
        userClaim: String = "sub",
        leeway: TimeInterval = 60,
        jwksRefreshInterval: TimeInterval = 3600,
        jwksMinimumRefetchInterval: TimeInterval = 60
    ) {
        self.jwksURL = jwksURL
        self.issuer = issuer
        self.clientIDs = clientIDs
        self.requiredTokenUse = jwksURL == nil ? nil : Self.defaultJWKSTokenUse
        self.userClaim = userClaim
        self.leeway = leeway
        self.jwksRefreshInterval = jwksRefreshInterval
        self.jwksMinimumRefetchInterval = jwksMinimumRefetchInterval
    }
}
