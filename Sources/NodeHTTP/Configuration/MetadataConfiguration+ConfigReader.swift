public import Configuration

extension MetadataConfiguration {
    /// Reads the `metadata*` keys; missing keys keep their defaults, and a pool size below 1 is
    /// raised to 1. The URLs are secrets (they may hold passwords).
    ///
    /// The keys sit at the top level (`metadataUrls`, `metadataPoolSize`, …), as
    /// docs/configuration.md lists them, so this reads the unscoped reader. The URLs and the
    /// password file are parsed and read when the backend is opened.
    /// - Parameter config: The node's reader.
    public init(config: ConfigReader) {
        self.init()
        sqlitePath = config.string(forKey: "metadataSqlitePath").nonEmpty
        urls = config.list(forKey: "metadataUrls", isSecret: true)
        passwordFile = config.string(forKey: "metadataPasswordFile").nonEmpty
        poolSize = max(1, config.int(forKey: "metadataPoolSize", default: poolSize))
        connectTimeoutSeconds = config.double(forKey: "metadataConnectTimeoutSeconds", default: connectTimeoutSeconds)
        queryTimeoutSeconds = config.double(forKey: "metadataQueryTimeoutSeconds", default: queryTimeoutSeconds)
        migrationTimeoutSeconds = config.double(
            forKey: "metadataMigrationTimeoutSeconds", default: migrationTimeoutSeconds)
    }
}
