public import Configuration

extension RedisConfiguration {
    /// Reads `redisUrl` (a secret: it may hold a password) and the `redisTls*` keys; missing keys
    /// keep their defaults.
    ///
    /// The keys sit at the top level, as docs/configuration.md lists them, so this reads the
    /// unscoped reader. Whether the TLS files fit the URL is checked when the client is made
    /// (``tlsConfiguration()``).
    /// - Parameter config: The node's reader.
    public init(config: ConfigReader) {
        self.init()
        url = config.string(forKey: "redisUrl", isSecret: true).nonEmpty
        tlsCAFile = config.string(forKey: "redisTlsCaFile").nonEmpty
        tlsCertificateFile = config.string(forKey: "redisTlsCertificateFile").nonEmpty
        tlsKeyFile = config.string(forKey: "redisTlsKeyFile").nonEmpty
    }
}
