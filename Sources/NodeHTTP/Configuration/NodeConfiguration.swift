public import CoreStore

/// Everything a node reads from its configuration (flags > `UDS_*` environment > JSON file > defaults).
///
/// Both daemons use the same struct; keys that only one daemon reads are grouped in
/// ``UploadConfiguration`` and ``DownloadConfiguration``. Every key is documented in `docs/configuration.md`.
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
    /// The S3 object store (`--s3-*`); `nil` selects the embedded filesystem object store.
    public var s3: S3Configuration?
    /// The Redis connection (`redisUrl`, `redisTls*`); no URL runs without Redis.
    public var redis: RedisConfiguration = RedisConfiguration()
    /// The metadata store (`metadata*`): SQLite, or PostgreSQL databases.
    public var metadata: MetadataConfiguration = MetadataConfiguration()
    /// How bearer tokens are verified (`--auth-*`).
    public var auth: AuthConfiguration = AuthConfiguration()
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
    /// The HTTPS certificate and key (`tlsCertificatePath`, `tlsKeyPath`); both set → the node serves HTTPS.
    public var tls: ServerTLSConfiguration = ServerTLSConfiguration()
    /// upload-node settings.
    public var upload: UploadConfiguration = UploadConfiguration()
    /// download-node settings.
    public var download: DownloadConfiguration = DownloadConfiguration()

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
    public var resolvedSQLitePath: String { metadata.sqlitePath ?? dataDirectory + "/metadata.sqlite3" }
}
