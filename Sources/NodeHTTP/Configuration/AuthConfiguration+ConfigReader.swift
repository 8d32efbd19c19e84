public import Configuration
public import CoreStore

extension AuthConfiguration {
    /// Reads the `auth.*` keys; missing keys keep their defaults (HS256 with the data directory's
    /// secret, any issuer and client, user claim `sub`).
    ///
    /// Keys: `jwksUrl`, `issuer`, `clientIds` (comma separated), `userClaim`, `hs256.secret` (secret).
    /// A `jwksUrl` also makes `token_use` `access` required (``requiredTokenUse``). The leeway and
    /// the JWKS refresh intervals have no keys and keep their defaults.
    /// - Parameter config: The reader scoped to `auth` (`config.scoped(to: "auth")`).
    public init(config: ConfigReader) {
        self.init(
            jwksURL: config.string(forKey: "jwksUrl").nonEmpty,
            issuer: config.string(forKey: "issuer").nonEmpty,
            clientIDs: config.list(forKey: "clientIds"),
            userClaim: config.string(forKey: "userClaim", default: "sub"),
            hs256Secret: config.string(forKey: "hs256.secret", isSecret: true).nonEmpty)
    }
}
