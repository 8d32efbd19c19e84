import CoreStore
import Hummingbird
import NodeHTTP
import ServiceLifecycle

/// What `upload-node` adds to the shared node skeleton (tests call this too).
enum UploadNode {
    /// Sets the spool's leftovers aside (the sweeper resolves them), registers the upload routes and
    /// returns the sweeper.
    /// - Parameters:
    ///   - router: The node router.
    ///   - parts: Configuration, backends, drain state, logger.
    static func setUp(router: Router<NodeRequestContext>, parts: NodeMain.Parts) async throws -> [any Service] {
        let configuration = parts.configuration
        let backends = parts.backends
        let spool = try SpoolDirectory(path: configuration.dataDirectory + "/spool")
        spool.setAsideLeftovers(logger: parts.logger)
        let uploader = ObjectUploader(
            store: backends.objectStore, spool: spool, thresholdBytes: configuration.upload.multipartThresholdBytes,
            partBytes: configuration.upload.multipartPartBytes, partConcurrency: 4, logger: parts.logger)
        let committer = UploadCommitter(
            objectStore: backends.objectStore, metadata: backends.metadata, blobCache: backends.blobCache,
            metadataCache: backends.metadataCache,
            redisPushMaxBytes: configuration.redis.url == nil ? 0 : configuration.upload.redisPushMaxBytes,
            quota: configuration.upload.userQuota, logger: parts.logger)
        let authorizer = RequestAuthorizer(
            verifier: backends.tokenVerifier, limiter: configuration.makeUserRequestLimiter(redis: backends.redis))
        let userSlots = UserUploadSlots(limit: configuration.upload.maxConcurrentUploadsPerUser)
        let reservations = SpoolReservationBudget(capacityBytes: configuration.upload.spoolMaxReservedBytes)
        var sweeper = UploadSweeper(
            committer: committer, metadata: backends.metadata, objectStore: backends.objectStore, spool: spool,
            keyPrefix: configuration.keyPrefix, staleAgeSeconds: configuration.upload.staleMultipartAgeSeconds,
            leftoverGraceSeconds: configuration.upload.leftoverGraceSeconds, logger: parts.logger,
            interval: .milliseconds(Int64(configuration.upload.sweepIntervalSeconds * 1000)))
        var resumable: ResumableDraftRoutes?
        if let partStore = backends.objectStore as? any ResumablePartStore,
            let uploads = backends.metadata as? any ResumableUploadStore
        {
            let appender = ResumableAppender(
                store: partStore, uploads: uploads, committer: committer, spool: spool, reservations: reservations,
                pool: backends.pool,
                minimumBytesPerSecond: configuration.upload.minBytesPerSecond,
                rateWindowSeconds: configuration.upload.rateWindowSeconds, logger: parts.logger)
            let operations = ResumableUploadOperations(
                authorizer: authorizer, appender: appender, uploads: uploads, settings: configuration,
                userSlots: userSlots, spoolPath: spool.path)
            TusRoutes(operations: operations, drain: parts.drain).register(on: router)
            let draft = ResumableDraftRoutes(operations: operations, drain: parts.drain)
            draft.register(on: router)
            resumable = draft
            sweeper.resumable = ResumableExpiry(uploads: uploads, appender: appender, logger: parts.logger)
            sweeper.pendingTails = PendingTailSweep(uploads: uploads, objects: partStore, logger: parts.logger)
            // A resumable upload's multipart upload lives until the upload expires (the expiry aborts it).
            sweeper.resumableStaleAgeSeconds = max(
                configuration.upload.staleMultipartAgeSeconds, configuration.upload.resumableExpirySeconds + 3600)
        }
        UploadRoutes(
            authorizer: authorizer, committer: committer, uploader: uploader,
            spool: spool,
            settings: configuration, drain: parts.drain,
            userSlots: userSlots,
            reservations: reservations,
            resumable: resumable
        ).register(on: router)
        let spoolPath = spool.path
        let usage = UsageGaugeService(samples: [("uds_spool_bytes", { SpoolDirectory.usedBytes(at: spoolPath) })])
        return [sweeper, usage]
    }
}
