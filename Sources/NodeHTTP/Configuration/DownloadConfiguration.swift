/// download-node settings.
public struct DownloadConfiguration: Sendable {
    /// Disk LRU cache size bound.
    public var cacheCapacityBytes: Int64 = 10 * 1024 * 1024 * 1024
    /// Largest object the disk cache keeps.
    public var cacheMaxObjectBytes: Int64 = 2 * 1024 * 1024 * 1024
    /// Objects above this size are admitted to the disk cache on their second miss.
    public var cacheAdmitAfterBytes: Int64 = 256 * 1024 * 1024
    /// Largest object read from / written to Redis.
    public var redisMaxBlobBytes: Int64 = 8 * 1024 * 1024
    /// Byte-range size of the parallel reads that fill the disk cache from the object store.
    public var fetchPartBytes: Int64 = 8 * 1024 * 1024
    /// How many byte-range reads of one object run at once.
    public var fetchParallelism: Int = 4
    /// Cache fills that run at once; later misses of other objects queue for a slot.
    public var maxConcurrentFills: Int = 16
    /// The download-link keys (`linkKeysFile`, lines `<kid> <hex secret>`, the first signs); `nil`
    /// uses the key generated in `<dataDir>/link-secret` (docs/decisions/0023).
    public var linkKeysFile: String?
    /// `scheme://host[:port]` of the link URLs (`linkBaseUrl`); `nil` takes them from each
    /// request's `Host` and `X-Forwarded-Proto`.
    public var linkBaseURL: String?
    /// Longest lifetime of a download link, in seconds (`linkMaxExpirySeconds`).
    public var linkMaxExpirySeconds: Int64 = 24 * 3600

    /// Defaults.
    public init() {}
}
