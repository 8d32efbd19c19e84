public import Configuration
import CoreStore

extension NodeConfiguration {
    /// Reads a node's configuration; keys missing from `config` keep their defaults.
    ///
    /// Keys are camel-case paths (`maxUploadBytes`, `s3.endpoint`); the command line spells them
    /// `--max-upload-bytes`, `--s3-endpoint` and the environment `UDS_MAX_UPLOAD_BYTES`, `UDS_S3_ENDPOINT`.
    /// This reads the server and per-user limit keys (at the top level) and hands the rest to each
    /// component: ``ServerTLSConfiguration/init(config:)``, ``RedisConfiguration/init(config:)``,
    /// ``MetadataConfiguration/init(config:)``, ``UploadConfiguration/init(config:)`` and
    /// ``DownloadConfiguration/init(config:)`` (their keys are at the top level too),
    /// ``S3Configuration/init(config:)`` (scoped to `s3`) and ``AuthConfiguration/init(config:)``
    /// (scoped to `auth`).
    /// - Parameters:
    ///   - role: The daemon.
    ///   - config: The reader (see ``NodeConfiguration/reader(arguments:environment:)``).
    public init(role: Role, config: ConfigReader) {
        self.init(role: role)
        readServer(config)
        readRequestLimits(config)
        tls = ServerTLSConfiguration(config: config)
        redis = RedisConfiguration(config: config)
        metadata = MetadataConfiguration(config: config)
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

    /// CORS, trusted proxies and the per-user request rate.
    private mutating func readRequestLimits(_ config: ConfigReader) {
        corsAllowedOrigins = config.list(forKey: "corsAllowedOrigins")
        trustedProxies = config.list(forKey: "trustedProxies")
        userRequestsPerSecond = max(0, config.double(forKey: "userRequestsPerSecond", default: userRequestsPerSecond))
        userRequestBurst = max(1, config.int(forKey: "userRequestBurst", default: userRequestBurst))
    }
}
