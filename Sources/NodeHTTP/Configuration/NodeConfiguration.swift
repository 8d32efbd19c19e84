public import CoreStore

/// Everything a node reads from its configuration (flags > `UDS_*` environment > defaults).
///
/// Both daemons use the same struct; keys that only one daemon reads are grouped in
/// ``UploadSettings`` and ``DownloadSettings``. Every key is documented in `docs/configuration.md`.
public struct NodeConfiguration: Sendable {
    /// Which daemon this configuration is for (sets the default port and the metrics labels).
    public enum Role: String, Sendable {
        /// `upload-node`, default port 8001.
        case upload = "upload-node"
        /// `download-node`, default port 8002.
        case download = "download-node"

        /// The default listening port.
        public var defaultPort: Int { self == .upload ? 8001 : 8002 }
    }

    /// The daemon.
    public var role: Role
    /// Listening address (`--host`, `UDS_HOST`).
    public var host: String = "127.0.0.1"
    /// Listening port (`--port`, `UDS_PORT`).
    public var port: Int
    /// Data directory: objects (no S3), SQLite file, spool, cache, auth secret (`--data-dir`, `UDS_DATA_DIR`).
    public var dataDirectory: String = "./data"
    /// Log level (`--log-level`).
    public var logLevel: String = "info"
    /// Object key prefix (`--key-prefix`).
    public var keyPrefix: String = "files"
    /// The 413 limit (`--max-upload-bytes`).
    public var maxUploadBytes: Int64 = 5 * 1024 * 1024 * 1024
    /// Seconds in-flight transfers get after SIGTERM (`--drain-timeout-seconds`).
    public var drainTimeoutSeconds: Double = 240
    /// Keep-alive idle timeout in seconds, above the ALB's 60 s (`--idle-timeout-seconds`).
    public var idleTimeoutSeconds: Double = 75
    /// Largest buffer of one socket read (`--read-buffer-bytes`). Bounds what a busy upload
    /// connection holds.
    public var readBufferBytes: Int = 64 * 1024
    /// Open connections that may queue four reads ahead of their handler
    /// (`--deep-queue-connections`); connections opened beyond this many queue one.
    public var deepQueueConnections: Int = 64
    /// Unsent bytes a connection's socket may queue while the node is busy
    /// (`--unsent-low-water-bytes`, `TCP_NOTSENT_LOWAT`; 0: the kernel's default, no cap). Large
    /// responses then go out from the node's own `sendfile` calls into an open window instead of
    /// being pushed out by the client's ACKs (docs/decisions/0014). download-node only by default.
    public var unsentLowWaterBytes: Int = 256 * 1024
    /// The same cap while the node is quiet (`--quiet-unsent-low-water-bytes`; 0, the default: no
    /// cap, which at 100 connections kept the p95 at nginx's where 1 MiB made it 1.26x).
    public var quietUnsentLowWaterBytes: Int = 0
    /// Open connections above which the node is busy (`--busy-connections`).
    public var busyConnections: Int = 256
    /// Threads for blocking C calls (curl, hiredis, SQLite) (`--blocking-threads`).
    public var blockingThreads: Int = 64
    /// S3 settings; `nil` selects the embedded filesystem object store.
    public var s3: S3Settings?
    /// Redis URL; `nil` runs without Redis (`--redis-url`). `rediss://` speaks TLS.
    public var redisURL: String?
    /// PEM file of the CA certificates a `rediss://` server must chain to (`--redis-tls-ca-file`);
    /// `nil` trusts the system store.
    public var redisTLSCAFile: String?
    /// PEM client certificate presented to a `rediss://` server (`--redis-tls-certificate-file`).
    public var redisTLSCertificateFile: String?
    /// PEM private key of ``redisTLSCertificateFile`` (`--redis-tls-key-file`).
    public var redisTLSKeyFile: String?
    /// SQLite file (`--metadata-sqlite-path`); default `<data-dir>/metadata.sqlite3`.
    public var metadataSQLitePath: String?
    /// PostgreSQL metadata databases (`--metadata-urls`, comma separated `postgres://` URLs); empty
    /// selects SQLite, one URL an unsharded database, several URLs shards in this order.
    public var metadataURLs: [String] = []
    /// File holding the PostgreSQL password for URLs without one (`--metadata-password-file`).
    public var metadataPasswordFile: String?
    /// Connections per shard per node (`--metadata-pool-size`).
    public var metadataPoolSize: Int = 10
    /// Seconds to open a PostgreSQL connection (`--metadata-connect-timeout-seconds`).
    public var metadataConnectTimeoutSeconds: Double = 5
    /// Seconds one metadata call may take, waiting for a connection included
    /// (`--metadata-query-timeout-seconds`); also the server's `statement_timeout`.
    public var metadataQueryTimeoutSeconds: Double = 10
    /// Seconds a node waits at start-up for each shard's schema migration, connecting and waiting
    /// behind other nodes included (`--metadata-migration-timeout-seconds`).
    public var metadataMigrationTimeoutSeconds: Double = 300
    /// Token verification settings.
    public var auth: AuthSettings = AuthSettings()
    /// Browser origins allowed by CORS (`--cors-allowed-origins`, comma separated; `*` for any).
    public var corsAllowedOrigins: [String] = []
    /// Peers whose `X-Forwarded-For` is trusted (`--trusted-proxies`, comma separated IPs).
    public var trustedProxies: [String] = []
    /// Sustained authenticated requests per second one user may make on one node (0 = no limit);
    /// more → 429 `RATE_LIMITED`.
    public var userRequestsPerSecond: Double = 100
    /// Requests one user may make at once on one node before ``userRequestsPerSecond`` applies.
    public var userRequestBurst: Int = 200

    /// The per-user request limiter these settings ask for, or `nil` when it is off: one bucket
    /// per user for the whole fleet in `redis` when given, else one per node.
    public func makeUserRequestLimiter(redis: RedisClient? = nil) -> (any UserRateLimiting)? {
        guard userRequestsPerSecond > 0 else { return nil }
        let local = UserRequestLimiter(requestsPerSecond: userRequestsPerSecond, burst: userRequestBurst)
        guard let redis else { return local }
        let bucket = RedisTokenBucket(
            client: redis, scope: role.rawValue, rate: userRequestsPerSecond, burst: userRequestBurst)
        return FleetRequestLimiter(bucket: bucket, fallback: local)
    }
    /// TLS certificate and key paths; both set → the node serves HTTPS.
    public var tlsCertificatePath: String?
    /// TLS private key path.
    public var tlsKeyPath: String?
    /// Whether the node serves HTTPS (both TLS paths set).
    public var servesTLS: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }
    /// upload-node settings.
    public var upload: UploadSettings = UploadSettings()
    /// download-node settings.
    public var download: DownloadSettings = DownloadSettings()

    /// Defaults for a daemon.
    /// - Parameter role: The daemon.
    public init(role: Role) {
        self.role = role
        self.port = role.defaultPort
        if role == .upload {
            // Its responses are small, and at 1000 uploads the cap cost 4-5 ms of CPU per upload
            // (docs/decisions/0014).
            unsentLowWaterBytes = 0
        }
    }

    /// The SQLite path actually used.
    public var resolvedSQLitePath: String { metadataSQLitePath ?? dataDirectory + "/metadata.sqlite3" }
}

/// S3 connection settings (`--s3-*`).
public struct S3Settings: Sendable {
    /// Endpoint URL, e.g. `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:8333`.
    public var endpoint: String
    /// Region used for signing.
    public var region: String = "us-east-1"
    /// Bucket name.
    public var bucket: String = "uploads"
    /// `path` or `virtual` addressing.
    public var addressingStyle: String = "path"
    /// Static access key; `nil` uses `AWS_*` environment variables, then the EC2 instance role.
    public var accessKey: String?
    /// Static secret key.
    public var secretKey: String?
    /// Session token for temporary credentials.
    public var sessionToken: String?
    /// Create the bucket at start-up when missing (tests, local SeaweedFS).
    public var createBucket: Bool = false
    /// Upper bound on simultaneous requests from this node to the store.
    public var maxConcurrentRequests: Int = 64

    /// Settings for an endpoint.
    public init(endpoint: String) {
        self.endpoint = endpoint
    }
}

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

/// upload-node settings.
public struct UploadSettings: Sendable {
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

/// download-node settings.
public struct DownloadSettings: Sendable {
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
