public import Configuration

extension AuthSettings {
    /// Reads the `auth.*` keys; missing keys keep their defaults.
    ///
    /// Keys: `jwksUrl`, `issuer`, `clientIds` (comma separated), `userClaim`, `hs256.secret` (secret).
    /// - Parameter config: The reader scoped to `auth` (`config.scoped(to: "auth")`).
    public init(config: ConfigReader) {
        self.init()
        jwksURL = config.string(forKey: "jwksUrl").nonEmpty
        issuer = config.string(forKey: "issuer").nonEmpty
        clientIDs = config.list(forKey: "clientIds")
        userClaim = config.string(forKey: "userClaim", default: userClaim)
        hs256Secret = config.string(forKey: "hs256.secret", isSecret: true).nonEmpty
    }
}
