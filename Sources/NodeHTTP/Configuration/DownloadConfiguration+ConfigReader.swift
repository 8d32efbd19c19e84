public import Configuration

extension DownloadConfiguration {
    /// Reads the download-node keys; missing keys keep their defaults.
    ///
    /// The keys sit at the top level (`cacheCapacityBytes`, `linkKeysFile`, …), as
    /// docs/configuration.md lists them, so this reads the unscoped reader.
    /// - Parameter config: The node's reader.
    public init(config: ConfigReader) {
        self.init()
        cacheCapacityBytes = config.int64(forKey: "cacheCapacityBytes", default: cacheCapacityBytes)
        cacheMaxObjectBytes = config.int64(forKey: "cacheMaxObjectBytes", default: cacheMaxObjectBytes)
        cacheAdmitAfterBytes = config.int64(forKey: "cacheAdmitAfterBytes", default: cacheAdmitAfterBytes)
        redisMaxBlobBytes = config.int64(forKey: "redisMaxBlobBytes", default: redisMaxBlobBytes)
        fetchPartBytes = config.int64(forKey: "fetchPartBytes", default: fetchPartBytes)
        fetchParallelism = config.int(forKey: "fetchParallelism", default: fetchParallelism)
        maxConcurrentFills = config.int(forKey: "maxConcurrentFills", default: maxConcurrentFills)
        linkKeysFile = config.string(forKey: "linkKeysFile").nonEmpty
        linkBaseURL = config.string(forKey: "linkBaseUrl").nonEmpty
        linkMaxExpirySeconds = max(1, config.int64(forKey: "linkMaxExpirySeconds", default: linkMaxExpirySeconds))
    }
}
