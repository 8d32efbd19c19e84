public import Configuration
import CoreStore

extension NodeConfiguration {
    /// Reads a node's configuration; keys missing from `config` keep their defaults.
    ///
    /// Keys are camel-case paths (`maxUploadBytes`, `s3.endpoint`); the command line spells them
    /// `--max-upload-bytes`, `--s3-endpoint` and the environment `UDS_MAX_UPLOAD_BYTES`, `UDS_S3_ENDPOINT`.
    /// This reads the server, Redis, metadata, TLS and per-user limit keys (all at the top level)
    /// and hands the rest to each component: ``S3Configuration/init(config:)`` (scoped to `s3`),
    /// ``AuthConfiguration/init(config:)`` (scoped to `auth`), ``UploadConfiguration/init(config:)`` and
    /// ``DownloadConfiguration/init(config:)``.
    /// - Parameters:
    ///   - role: The daemon.
    ///   - config: The reader (see ``NodeConfiguration/reader(arguments:environment:)``).
    public init(role: Role, config: ConfigReader) {
        self.init(role: role)
        readServer(config)
        readRedis(config)
        readMetadata(config)
        readRequestLimits(config)
        tlsCertificatePath = config.string(forKey: "tlsCertificatePath").nonEmpty
        tlsKeyPath = config.string(forKey: "tlsKeyPath").nonEmpty
        s3 = S3Configuration(config: config.scoped(to: "s3"))
        auth = AuthConfiguration(config: config.scoped(to: "auth"))
        upload = UploadConfiguration(config: config)
        download = DownloadConfiguration(config: config)
    }

    /// The listener, socket and process keys.
    private mutating func readServer(_ config: ConfigReader) {
        host = config.string(forKey: "host", default: host)
        port = config.int(forKey: "port", default: port)
        dataDirectory = config.string(forKey: "dataDir", default: dataDirectory)
        logLevel = config.string(forKey: "logLevel", default: logLevel)
        keyPrefix = config.string(forKey: "keyPrefix", default: keyPrefix)
        maxUploadBytes = Int64(config.int(forKey: "maxUploadBytes", default: Int(maxUploadBytes)))
        drainTimeoutSeconds = config.double(forKey: "drainTimeoutSeconds", default: drainTimeoutSeconds)
        idleTimeoutSeconds = config.double(forKey: "idleTimeoutSeconds", default: idleTimeoutSeconds)
        readBufferBytes = max(4096, config.int(forKey: "readBufferBytes", default: readBufferBytes))
        deepQueueConnections = max(0, config.int(forKey: "deepQueueConnections", default: deepQueueConnections))
        unsentLowWaterBytes = max(0, config.int(forKey: "unsentLowWaterBytes", default: unsentLowWaterBytes))
        quietUnsentLowWaterBytes = max(
            0, config.int(forKey: "quietUnsentLowWaterBytes", default: quietUnsentLowWaterBytes))
        busyConnections = max(0, config.int(forKey: "busyConnections", default: busyConnections))
        blockingThreads = config.int(forKey: "blockingThreads", default: blockingThreads)
    }

    /// `redisUrl` and the `redisTls*` keys.
    private mutating func readRedis(_ config: ConfigReader) {
        redisURL = config.string(forKey: "redisUrl", isSecret: true).nonEmpty
        redisTLSCAFile = config.string(forKey: "redisTlsCaFile").nonEmpty
        redisTLSCertificateFile = config.string(forKey: "redisTlsCertificateFile").nonEmpty
        redisTLSKeyFile = config.string(forKey: "redisTlsKeyFile").nonEmpty
    }

    /// The `metadata*` keys (SQLite path, PostgreSQL URLs, pool and timeouts).
    private mutating func readMetadata(_ config: ConfigReader) {
        metadataSQLitePath = config.string(forKey: "metadataSqlitePath").nonEmpty
        metadataURLs = config.list(forKey: "metadataUrls", isSecret: true)
        metadataPasswordFile = config.string(forKey: "metadataPasswordFile").nonEmpty
        metadataPoolSize = max(1, config.int(forKey: "metadataPoolSize", default: metadataPoolSize))
        metadataConnectTimeoutSeconds = config.double(
            forKey: "metadataConnectTimeoutSeconds", default: metadataConnectTimeoutSeconds)
        metadataQueryTimeoutSeconds = config.double(
            forKey: "metadataQueryTimeoutSeconds", default: metadataQueryTimeoutSeconds)
        metadataMigrationTimeoutSeconds = config.double(
            forKey: "metadataMigrationTimeoutSeconds", default: metadataMigrationTimeoutSeconds)
    }

    /// CORS, trusted proxies and the per-user request rate.
    private mutating func readRequestLimits(_ config: ConfigReader) {
        corsAllowedOrigins = config.list(forKey: "corsAllowedOrigins")
        trustedProxies = config.list(forKey: "trustedProxies")
        userRequestsPerSecond = max(0, config.double(forKey: "userRequestsPerSecond", default: userRequestsPerSecond))
        userRequestBurst = max(1, config.int(forKey: "userRequestBurst", default: userRequestBurst))
    }
}
