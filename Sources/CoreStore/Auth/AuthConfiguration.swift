public import Foundation

/// How bearer tokens are verified: the mode, its key source, and what a token must satisfy, for
/// both verifiers. The node reads it from the `auth.*` keys (`AuthConfiguration+ConfigReader.swift`
/// in NodeHTTP).
///
/// HS256 mode (embedded; `jwksURL == nil`): the secret is ``hs256Secret`` when set, else the data
/// directory's ``HMACSecretFile``; `iss` is checked only when ``issuer`` is set, no `token_use` is required.
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
    /// The HS256 secret (its UTF-8 bytes) in place of `<data-dir>/auth-secret` (`auth.hs256.secret`,
    /// `--auth-hs256-secret`, `UDS_AUTH_HS256_SECRET`); `nil` uses the file. Unused in JWKS mode.
    public var hs256Secret: String?
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
    ///   - hs256Secret: The HS256 secret in place of the data directory's file, if any.
    ///   - leeway: Tolerated clock skew in seconds.
    ///   - jwksRefreshInterval: Maximum key age in seconds before a refetch.
    ///   - jwksMinimumRefetchInterval: Minimum seconds between two JWKS fetches.
    public init(
        jwksURL: String? = nil,
        issuer: String? = nil,
        clientIDs: [String] = [],
        userClaim: String = "sub",
        hs256Secret: String? = nil,
        leeway: TimeInterval = 60,
        jwksRefreshInterval: TimeInterval = 3600,
        jwksMinimumRefetchInterval: TimeInterval = 60
    ) {
        self.jwksURL = jwksURL
        self.issuer = issuer
        self.clientIDs = clientIDs
        self.requiredTokenUse = jwksURL == nil ? nil : Self.defaultJWKSTokenUse
        self.userClaim = userClaim
        self.hs256Secret = hs256Secret
        self.leeway = leeway
        self.jwksRefreshInterval = jwksRefreshInterval
        self.jwksMinimumRefetchInterval = jwksMinimumRefetchInterval
    }
}
