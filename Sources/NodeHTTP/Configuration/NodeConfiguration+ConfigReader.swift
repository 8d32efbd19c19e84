import CoreStore
public import Configuration
import Foundation
import SystemPackage

extension NodeConfiguration {
    /// Reads a node's configuration; keys missing from `config` keep their defaults.
    ///
    /// Keys are camel-case paths (`maxUploadBytes`, `s3.endpoint`); the command line spells them
    /// `--max-upload-bytes`, `--s3-endpoint` and the environment `UDS_MAX_UPLOAD_BYTES`, `UDS_S3_ENDPOINT`.
    /// - Parameters:
    ///   - role: The daemon.
    ///   - config: The reader (see ``NodeConfiguration/reader(arguments:environment:)``).
    public init(role: Role, config: ConfigReader) {
        self.init(role: role)
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
        redisURL = config.string(forKey: "redisUrl", isSecret: true).nonEmpty
        redisTLSCAFile = config.string(forKey: "redisTlsCaFile").nonEmpty
        redisTLSCertificateFile = config.string(forKey: "redisTlsCertificateFile").nonEmpty
        redisTLSKeyFile = config.string(forKey: "redisTlsKeyFile").nonEmpty
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
        corsAllowedOrigins = config.list(forKey: "corsAllowedOrigins")
        trustedProxies = config.list(forKey: "trustedProxies")
        userRequestsPerSecond = max(0, config.double(forKey: "userRequestsPerSecond", default: userRequestsPerSecond))
        userRequestBurst = max(1, config.int(forKey: "userRequestBurst", default: userRequestBurst))
        tlsCertificatePath = config.string(forKey: "tlsCertificatePath").nonEmpty
        tlsKeyPath = config.string(forKey: "tlsKeyPath").nonEmpty

        if let endpoint = config.string(forKey: "s3.endpoint").nonEmpty {
            let s3Config = config.scoped(to: "s3")
            var s3 = S3Settings(endpoint: endpoint)
            s3.region = s3Config.string(forKey: "region", default: s3.region)
            s3.bucket = s3Config.string(forKey: "bucket", default: s3.bucket)
            s3.addressingStyle = s3Config.string(forKey: "addressingStyle", default: s3.addressingStyle)
            s3.accessKey = s3Config.string(forKey: "accessKey").nonEmpty
            s3.secretKey = s3Config.string(forKey: "secretKey", isSecret: true).nonEmpty
            s3.sessionToken = s3Config.string(forKey: "sessionToken", isSecret: true).nonEmpty
            s3.createBucket = s3Config.bool(forKey: "createBucket", default: s3.createBucket)
            s3.maxConcurrentRequests = s3Config.int(forKey: "maxConcurrentRequests", default: s3.maxConcurrentRequests)
            self.s3 = s3
        }

        let authConfig = config.scoped(to: "auth")
        auth.jwksURL = authConfig.string(forKey: "jwksUrl").nonEmpty
        auth.issuer = authConfig.string(forKey: "issuer").nonEmpty
        auth.clientIDs = authConfig.list(forKey: "clientIds")
        auth.userClaim = authConfig.string(forKey: "userClaim", default: auth.userClaim)
        auth.hs256Secret = authConfig.string(forKey: "hs256.secret", isSecret: true).nonEmpty

        upload.spoolMinFreeBytes = config.int64(forKey: "spoolMinFreeBytes", default: upload.spoolMinFreeBytes)
        upload.multipartThresholdBytes = config.int64(
            forKey: "multipartThresholdBytes", default: upload.multipartThresholdBytes)
        upload.multipartPartBytes = max(
            5 * 1024 * 1024, config.int64(forKey: "multipartPartBytes", default: upload.multipartPartBytes))
        upload.redisPushMaxBytes = config.int64(forKey: "redisPushMaxBytes", default: upload.redisPushMaxBytes)
        upload.resumablePartBytes = max(
            5 * 1024 * 1024, config.int64(forKey: "resumablePartBytes", default: upload.resumablePartBytes))
        upload.resumableExpirySeconds = max(
            1, config.double(forKey: "resumableExpirySeconds", default: upload.resumableExpirySeconds))
        upload.staleMultipartAgeSeconds = config.double(
            forKey: "staleMultipartAgeSeconds", default: upload.staleMultipartAgeSeconds)
        upload.sweepIntervalSeconds = max(0.1, config.double(forKey: "sweepIntervalSeconds", default: upload.sweepIntervalSeconds))
        upload.leftoverGraceSeconds = config.double(forKey: "leftoverGraceSeconds", default: upload.leftoverGraceSeconds)
        upload.minBytesPerSecond = max(0, config.int64(forKey: "uploadMinBytesPerSecond", default: upload.minBytesPerSecond))
        upload.rateWindowSeconds = max(1, config.double(forKey: "uploadRateWindowSeconds", default: upload.rateWindowSeconds))
        upload.maxConcurrentUploadsPerUser = max(
            0, config.int(forKey: "maxConcurrentUploadsPerUser", default: upload.maxConcurrentUploadsPerUser))
        upload.userQuota = StorageQuota(
            maxBytes: max(0, config.int64(forKey: "userQuotaBytes", default: upload.userQuota.maxBytes)),
            maxFiles: max(0, config.int64(forKey: "userQuotaFiles", default: upload.userQuota.maxFiles)))
        upload.spoolMaxReservedBytes = max(
            0, config.int64(forKey: "spoolMaxReservedBytes", default: upload.spoolMaxReservedBytes))

        download.cacheCapacityBytes = config.int64(forKey: "cacheCapacityBytes", default: download.cacheCapacityBytes)
        download.cacheMaxObjectBytes = config.int64(
            forKey: "cacheMaxObjectBytes", default: download.cacheMaxObjectBytes)
        download.cacheAdmitAfterBytes = config.int64(
            forKey: "cacheAdmitAfterBytes", default: download.cacheAdmitAfterBytes)
        download.redisMaxBlobBytes = config.int64(forKey: "redisMaxBlobBytes", default: download.redisMaxBlobBytes)
        download.fetchPartBytes = config.int64(forKey: "fetchPartBytes", default: download.fetchPartBytes)
        download.fetchParallelism = config.int(forKey: "fetchParallelism", default: download.fetchParallelism)
        download.maxConcurrentFills = config.int(
            forKey: "maxConcurrentFills", default: download.maxConcurrentFills)
        download.linkKeysFile = config.string(forKey: "linkKeysFile").nonEmpty
        download.linkBaseURL = config.string(forKey: "linkBaseUrl").nonEmpty
        download.linkMaxExpirySeconds = max(
            1, config.int64(forKey: "linkMaxExpirySeconds", default: download.linkMaxExpirySeconds))
    }

    /// The standard reader: command-line flags, then `UDS_*` environment variables, then an
    /// optional JSON file named by `--config-file` / `UDS_CONFIG_FILE`.
    /// - Parameters:
    ///   - arguments: The process arguments (including the program name).
    ///   - environment: The process environment.
    public static func reader(arguments: [String], environment: [String: String]) async throws -> ConfigReader {
        let flags = CommandLineArgumentsProvider(arguments: arguments)
        let env = KeyMappingProvider(upstream: EnvironmentVariablesProvider(environmentVariables: environment)) {
            $0.prepending(["uds"])
        }
        let bootstrap = ConfigReader(providers: [flags, env])
        var providers: [any ConfigProvider] = [flags, env]
        if let file = bootstrap.string(forKey: "configFile").nonEmpty {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(file)))
        }
        return ConfigReader(providers: providers)
    }
}

extension ConfigReader {
    /// A comma-separated list from any provider. The command-line provider hands `--key a,b` over
    /// as two values, which `string(forKey:)` does not accept (it would silently fall back to the
    /// default), so the array form is asked first and a plain string (a JSON file) second.
    func list(forKey key: ConfigKey, isSecret: Bool = false) -> [String] {
        if let values = stringArray(forKey: key, isSecret: isSecret) {
            return values.flatMap(\.commaSeparated)
        }
        return string(forKey: key, isSecret: isSecret, default: "").commaSeparated
    }

    func int64(forKey key: ConfigKey, default defaultValue: Int64) -> Int64 {
        Int64(int(forKey: key, default: Int(defaultValue)))
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let value = self?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}

extension String {
    var commaSeparated: [String] {
        split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
