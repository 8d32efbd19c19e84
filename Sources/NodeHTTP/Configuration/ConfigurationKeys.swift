/// Every configuration key of both nodes (the strict start-up check refuses anything else).
/// Keep in step with ``NodeConfiguration/init(role:config:)`` and docs/configuration.md; a test
/// checks that every key read there is listed here.
public enum ConfigurationKeys {
    private static let nonNegative: ClosedRange<Int64> = 0...Int64.max
    private static let positive: ClosedRange<Int64> = 1...Int64.max

    /// The keys, in `--help` order.
    public static let all: [ConfigurationKey] = [
        .init("host", .text, "127.0.0.1", "listen address"),
        .init("port", .integer(0...65535), "8001 / 8002", "listen port"),
        .init("dataDir", .text, "./data", "objects, metadata, spool, cache, dev secret"),
        .init(
            "logLevel", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), "info",
            "log level"),
        .init("configFile", .text, "none", "JSON file of keys (flags and environment win over it)"),
        .init("keyPrefix", .text, "files", "first component of object keys"),
        .init("maxUploadBytes", .integer(positive), "5368709120", "larger uploads get 413"),
        .init("drainTimeoutSeconds", .decimal(minimum: 0), "240", "SIGTERM: how long in-flight transfers may finish"),
        .init("idleTimeoutSeconds", .decimal(minimum: 0.001), "75", "idle keep-alive and body-read timeout"),
        .init("readBufferBytes", .integer(4096...Int64.max), "65536", "largest socket read"),
        .init("deepQueueConnections", .integer(nonNegative), "64", "connections before reads go deep-queued"),
        .init("unsentLowWaterBytes", .integer(nonNegative), "262144", "unsent-bytes cap per socket when busy"),
        .init("quietUnsentLowWaterBytes", .integer(nonNegative), "0", "unsent-bytes cap per socket when quiet"),
        .init("busyConnections", .integer(nonNegative), "256", "connections from which a node counts as busy"),
        .init("blockingThreads", .integer(positive), "64", "threads for SQLite, hiredis and libcurl calls"),
        .init("tlsCertificatePath", .text, "none", "PEM certificate: serve HTTPS"),
        .init("tlsKeyPath", .text, "none", "PEM private key"),
        .init("corsAllowedOrigins", .list, "none", "origins allowed by CORS"),
        .init("trustedProxies", .list, "none", "proxies whose X-Forwarded-For is believed"),
        .init(
            "userRequestsPerSecond", .decimal(minimum: 0), "100", "requests per second one user may make per node (429)"
        ),
        .init("userRequestBurst", .integer(positive), "200", "requests one user may make at once per node"),
        .init("redisUrl", .text, "none", "redis://host:port, rediss:// for TLS (blob cache)"),
        .init("redisTlsCaFile", .text, "system trust store", "PEM CA certificates trusted for rediss://"),
        .init("redisTlsCertificateFile", .text, "none", "PEM client certificate for rediss://"),
        .init("redisTlsKeyFile", .text, "none", "PEM client private key for rediss://"),
        .init("metadataSqlitePath", .text, "<dataDir>/metadata.sqlite3", "the SQLite metadata file"),
        .init("metadataUrls", .list, "none", "postgres:// URLs; several shard users"),
        .init("metadataPasswordFile", .text, "none", "file holding the PostgreSQL password"),
        .init("metadataPoolSize", .integer(positive), "10", "PostgreSQL connections per shard"),
        .init("metadataConnectTimeoutSeconds", .decimal(minimum: 0.001), "5", "PostgreSQL connect timeout"),
        .init("metadataQueryTimeoutSeconds", .decimal(minimum: 0.001), "10", "PostgreSQL query timeout"),
        .init("metadataMigrationTimeoutSeconds", .decimal(minimum: 0.001), "300", "schema migration deadline"),
        .init("s3.endpoint", .text, "none (local objects)", "S3 endpoint URL"),
        .init("s3.region", .text, "us-east-1", "S3 region"),
        .init("s3.bucket", .text, "uploads", "S3 bucket"),
        .init("s3.addressingStyle", .choice(["path", "virtual"]), "path", "S3 addressing style"),
        .init("s3.accessKey", .text, "environment / IMDS", "S3 access key"),
        .init("s3.secretKey", .text, "environment / IMDS", "S3 secret key"),
        .init("s3.sessionToken", .text, "none", "S3 session token"),
        .init("s3.createBucket", .boolean, "false", "create the bucket at start-up"),
        .init("s3.maxConcurrentRequests", .integer(positive), "64", "S3 requests in flight"),
        .init("auth.jwksUrl", .text, "none (HS256)", "JWKS URL (Cognito RS256)"),
        .init("auth.issuer", .text, "none", "required iss claim"),
        .init("auth.clientIds", .list, "none", "accepted client ids (aud / client_id)"),
        .init("auth.userClaim", .text, "sub", "claim holding the user id"),
        .init("auth.hs256.secret", .text, "<dataDir>/auth-secret", "HS256 secret"),
        .init("spoolMinFreeBytes", .integer(nonNegative), "1073741824", "uploads get 503 below this free space"),
        .init("spoolMaxReservedBytes", .integer(nonNegative), "1073741824", "space all spool files may reserve ahead"),
        .init("multipartThresholdBytes", .integer(positive), "16777216", "larger objects go up in parts"),
        .init("multipartPartBytes", .integer(5_242_880...Int64.max), "8388608", "multipart part size"),
        .init("redisPushMaxBytes", .integer(nonNegative), "8388608", "objects pushed into Redis on commit"),
        .init("resumablePartBytes", .integer(5_242_880...Int64.max), "5242880", "part size of resumable (tus) uploads"),
        .init(
            "resumableExpirySeconds", .decimal(minimum: 1), "86400", "resumable uploads expire this long after creation"
        ),
        .init("staleMultipartAgeSeconds", .decimal(minimum: 1), "86400", "age of multipart uploads the sweeper aborts"),
        .init("sweepIntervalSeconds", .decimal(minimum: 0.1), "60", "seconds between sweeper passes"),
        .init("leftoverGraceSeconds", .decimal(minimum: 0), "900", "how long a crashed upload's journal is re-checked"),
        .init("uploadMinBytesPerSecond", .integer(nonNegative), "8192", "slowest body rate accepted (408 below)"),
        .init("uploadRateWindowSeconds", .decimal(minimum: 1), "30", "window of the minimum rate"),
        .init("maxConcurrentUploadsPerUser", .integer(nonNegative), "32", "uploads one user may run per node (429)"),
        .init("userQuotaBytes", .integer(nonNegative), "0", "bytes one user may store, 0 = no quota (413)"),
        .init("userQuotaFiles", .integer(nonNegative), "0", "files one user may store, 0 = no quota (413)"),
        .init("cacheCapacityBytes", .integer(nonNegative), "10737418240", "disk cache size"),
        .init("cacheMaxObjectBytes", .integer(nonNegative), "2147483648", "largest object the disk cache keeps"),
        .init(
            "cacheAdmitAfterBytes", .integer(nonNegative), "268435456", "larger objects are cached on their second miss"
        ),
        .init("redisMaxBlobBytes", .integer(nonNegative), "8388608", "largest object in the Redis cache"),
        .init("fetchPartBytes", .integer(positive), "8388608", "range size of cache fills"),
        .init("fetchParallelism", .integer(positive), "4", "range reads per fill"),
        .init("maxConcurrentFills", .integer(positive), "16", "cache fills at once"),
        .init(
            "linkKeysFile", .text, "<dataDir>/link-secret",
            "download-link keys, lines \"<kid> <hex secret>\", first signs"),
        .init("linkBaseUrl", .text, "the request's Host", "scheme://host[:port] of download-link URLs"),
        .init("linkMaxExpirySeconds", .integer(1...604_800), "86400", "longest download-link lifetime"),
    ]

    /// Environment variables that are not keys: read before the configuration (`UDS_SIMD`,
    /// `UDS_EVENT_LOOP_EXECUTOR`) or by the repository's scripts, which pass their environment
    /// on to the nodes they start (`UDS_BUILD_MODE`, `UDS_BIN_DIR`, `UDS_POSTGRES_BIN`).
    public static let otherEnvironmentVariables: Set<String> = [
        "UDS_SIMD", "UDS_EVENT_LOOP_EXECUTOR", "UDS_BUILD_MODE", "UDS_BIN_DIR", "UDS_POSTGRES_BIN",
    ]

    /// The key with this path, if any.
    public static func named(_ key: String) -> ConfigurationKey? { byKey[key] }

    private static let byKey: [String: ConfigurationKey] = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })
}
