public import CoreStore

/// upload-node settings.
public struct UploadConfiguration: Sendable {
    /// Below this free space on the spool disk, uploads get 503 before the body is read.
    public var spoolMinFreeBytes: Int64 = 1024 * 1024 * 1024
    /// Objects up to this size go up as one PUT; larger ones as a multipart upload.
    public var multipartThresholdBytes: Int64 = 16 * 1024 * 1024
    /// Part size of multipart uploads (at least 5 MiB).
    public var multipartPartBytes: Int64 = 8 * 1024 * 1024
    /// Part size of resumable (tus) uploads (`resumablePartBytes`, at least 5 MiB, S3's minimum
    /// for all but the last part). Client chunks of a multiple of it never leave a tail.
    public var resumablePartBytes: Int64 = 5 * 1024 * 1024
    /// Seconds after its creation that an unfinished resumable upload expires (`resumableExpirySeconds`).
    public var resumableExpirySeconds: Double = 24 * 3600
    /// Objects up to this size are pushed into Redis on commit (0 disables).
    public var redisPushMaxBytes: Int64 = 8 * 1024 * 1024
    /// Age after which the sweeper aborts in-progress multipart uploads, in seconds.
    public var staleMultipartAgeSeconds: Double = 24 * 3600
    /// Seconds between the sweeper's passes.
    public var sweepIntervalSeconds: Double = 60
    /// How long a crashed process's upload journal is kept and re-checked: an object-store request
    /// the process had sent before it died can still complete after the first check deleted its key.
    public var leftoverGraceSeconds: Double = 900
    /// Slowest average rate an upload body may arrive at, over each ``rateWindowSeconds``
    /// (bytes per second; 0 = no minimum). Slower → 408 `REQUEST_TIMEOUT`.
    public var minBytesPerSecond: Int64 = 8 * 1024
    /// The window of ``minBytesPerSecond``, in seconds (also the longest any body may take
    /// without keeping up that rate).
    public var rateWindowSeconds: Double = 30
    /// Uploads one user may run at once on one node (0 = no limit). More → 429 `RATE_LIMITED`.
    public var maxConcurrentUploadsPerUser: Int = 32
    /// What one user may store in total (`userQuotaBytes`, `userQuotaFiles`; 0 = no bound).
    /// Over it → 413 `QUOTA_EXCEEDED`.
    public var userQuota: StorageQuota = .unlimited
    /// Disk space all spool files of the node may reserve ahead of their bytes (0 = none).
    public var spoolMaxReservedBytes: Int64 = 1024 * 1024 * 1024

    /// Defaults.
    public init() {}
}
