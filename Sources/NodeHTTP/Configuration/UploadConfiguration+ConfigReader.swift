public import Configuration
import CoreStore

extension UploadConfiguration {
    /// Reads the upload-node keys; missing keys keep their defaults, and values below a key's
    /// floor are raised to it (part sizes to 5 MiB, the sweep interval to 0.1 s, counts to 0).
    ///
    /// The keys sit at the top level (`multipartPartBytes`, `userQuotaBytes`, …), as
    /// docs/configuration.md lists them, so this reads the unscoped reader.
    /// - Parameter config: The node's reader.
    public init(config: ConfigReader) {
        self.init()
        spoolMinFreeBytes = config.int64(forKey: "spoolMinFreeBytes", default: spoolMinFreeBytes)
        multipartThresholdBytes = config.int64(forKey: "multipartThresholdBytes", default: multipartThresholdBytes)
        multipartPartBytes = max(
            5 * 1024 * 1024, config.int64(forKey: "multipartPartBytes", default: multipartPartBytes))
        redisPushMaxBytes = config.int64(forKey: "redisPushMaxBytes", default: redisPushMaxBytes)
        resumablePartBytes = max(
            5 * 1024 * 1024, config.int64(forKey: "resumablePartBytes", default: resumablePartBytes))
        resumableExpirySeconds = max(
            1, config.double(forKey: "resumableExpirySeconds", default: resumableExpirySeconds))
        staleMultipartAgeSeconds = config.double(forKey: "staleMultipartAgeSeconds", default: staleMultipartAgeSeconds)
        sweepIntervalSeconds = max(0.1, config.double(forKey: "sweepIntervalSeconds", default: sweepIntervalSeconds))
        leftoverGraceSeconds = config.double(forKey: "leftoverGraceSeconds", default: leftoverGraceSeconds)
        minBytesPerSecond = max(0, config.int64(forKey: "uploadMinBytesPerSecond", default: minBytesPerSecond))
        rateWindowSeconds = max(1, config.double(forKey: "uploadRateWindowSeconds", default: rateWindowSeconds))
        maxConcurrentUploadsPerUser = max(
            0, config.int(forKey: "maxConcurrentUploadsPerUser", default: maxConcurrentUploadsPerUser))
        userQuota = StorageQuota(
            maxBytes: max(0, config.int64(forKey: "userQuotaBytes", default: userQuota.maxBytes)),
            maxFiles: max(0, config.int64(forKey: "userQuotaFiles", default: userQuota.maxFiles)))
        spoolMaxReservedBytes = max(0, config.int64(forKey: "spoolMaxReservedBytes", default: spoolMaxReservedBytes))
    }
}
