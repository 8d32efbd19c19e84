/// Token verification settings (`--auth-*`).
public struct AuthSettings: Sendable {
    /// JWKS URL (Cognito); `nil` selects HS256 with the data-dir secret.
    public var jwksURL: String?
    /// Required `iss`.
    public var issuer: String?
    /// Allowed `client_id`s (empty: any).
    public var clientIDs: [String] = []
    /// The claim holding the user id.
    public var userClaim: String = "sub"
    /// HS256 secret overriding `<data-dir>/auth-secret` (`--auth-hs256-secret`, `UDS_AUTH_HS256_SECRET`).
    public var hs256Secret: String?

    /// Defaults.
    public init() {}
}
