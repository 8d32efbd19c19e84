import CoreStore
import Hummingbird
import NodeHTTP
import ServiceLifecycle

/// What `download-node` adds to the shared node skeleton (tests call this too).
enum DownloadNode {
    /// Opens the disk cache (verifying what a previous run left), loads the download-link keys,
    /// registers the download routes and returns the services behind them: the cache filler (its
    /// fills run as its child tasks), the access-time batcher and the usage gauges.
    /// - Parameters:
    ///   - router: The node router.
    ///   - parts: Configuration, backends, drain state, logger.
    /// - Throws: ``ConfigurationError`` for unusable `linkKeysFile` or `linkBaseUrl`; what opening
    ///   the cache or the generated link key throws.
    static func setUp(router: Router<NodeRequestContext>, parts: NodeMain.Parts) throws -> [any Service] {
        let configuration = parts.configuration
        let backends = parts.backends
        let settings = configuration.download
        let links = try DownloadLinks.make(configuration: configuration, logger: parts.logger)
        let cache = DiskLRUCache(
            directory: configuration.dataDirectory + "/cache", capacityBytes: settings.cacheCapacityBytes,
            maxObjectBytes: settings.cacheMaxObjectBytes, admitAfterAccessesAbove: settings.cacheAdmitAfterBytes,
            logger: parts.logger)
        try cache.open()
        let filler = CacheFiller(
            cache: cache, objectStore: backends.objectStore, blobCache: backends.blobCache,
            redisMaxBytes: settings.redisMaxBlobBytes, partBytes: settings.fetchPartBytes,
            parallelism: settings.fetchParallelism, maxConcurrentFills: settings.maxConcurrentFills,
            logger: parts.logger)
        let reader = TieredReader(
            cache: cache, blobCache: backends.blobCache, redisMaxBytes: settings.redisMaxBlobBytes, filler: filler,
            objectStore: backends.objectStore)
        let recorder = AccessRecorder(metadata: backends.metadata, logger: parts.logger)
        DownloadRoutes(
            authorizer: RequestAuthorizer(
                verifier: backends.tokenVerifier,
                limiter: parts.configuration.makeUserRequestLimiter(redis: backends.redis)),
            metadata: backends.metadata,
            reader: reader, accessRecorder: recorder, drain: parts.drain, links: links,
            zeroCopy: !configuration.tls.isEnabled
        ).register(on: router)
        let usage = UsageGaugeService(samples: [
            ("uds_cache_bytes", { cache.usedBytes }),
            ("uds_cache_fills_running", { Int64(filler.slots.running) }),
            ("uds_cache_fills_queued", { Int64(filler.slots.queued) }),
        ])
        // The fills and the access-time batcher run until after the HTTP drain (NodeMain.serve).
        return [filler, recorder, usage]
    }
}
