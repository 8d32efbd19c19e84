public import CoreStore
import Foundation
public import Logging
public import ServiceLifecycle

/// The backends a node runs on, chosen by configuration: embedded defaults (filesystem objects,
/// SQLite, HS256 secret in the data dir, no Redis) or production ones (S3, Redis, JWKS).
public struct NodeBackends: Sendable {
    /// Where the bytes live.
    public var objectStore: any ObjectStore
    /// Where the names live.
    public var metadata: any MetadataStore
    /// Redis blob cache, if configured.
    public var blobCache: (any BlobCache)?
    /// Redis metadata cache, if configured.
    public var metadataCache: RedisMetadataCache?
    /// The Redis connection pool, if configured (caches and the fleet-wide request rate).
    public var redis: RedisClient?
    /// Token verification.
    public var tokenVerifier: any TokenVerifier
    /// The pool for blocking C calls.
    public var pool: BlockingPool
    /// Long-lived parts the backends need running, in the order they start: the blocking pool,
    /// the Redis client, the PostgreSQL connection pools. The node runs them first in its service
    /// group, so they stop last, after the HTTP drain and the node's own services, and in reverse
    /// order (the pool after everything that runs blocking calls on it).
    public var services: [any Service]

    /// Assembles backends from parts (tests use this directly).
    public init(
        objectStore: any ObjectStore, metadata: any MetadataStore, blobCache: (any BlobCache)?,
        metadataCache: RedisMetadataCache?, tokenVerifier: any TokenVerifier, pool: BlockingPool,
        services: [any Service] = [], redis: RedisClient? = nil
    ) {
        self.objectStore = objectStore
        self.metadata = metadata
        self.blobCache = blobCache
        self.metadataCache = metadataCache
        self.tokenVerifier = tokenVerifier
        self.pool = pool
        self.services = services
        self.redis = redis
    }

    /// Builds the backends the configuration names and runs their one-time set-up (data
    /// directories, schema migration, bucket check) before the server starts. The blocking pool,
    /// the Redis client and the PostgreSQL pools are returned in ``services``, not yet running.
    /// - Parameters:
    ///   - configuration: The node configuration.
    ///   - environment: The process environment (AWS credentials only).
    ///   - logger: The application logger.
    /// - Throws: `CoreStoreError` when a backend cannot be set up.
    public static func make(
        configuration: NodeConfiguration, environment: [String: String], logger: Logger
    ) async throws -> NodeBackends {
        do {
            try PrivateFileModes.makeDirectory(configuration.dataDirectory)  // 0700, whatever the umask
        } catch {
            logger.error("data directory not usable", metadata: ["error": "\(error)"])
            throw CoreStoreError(.internalError, "the data directory cannot be created")
        }
        let pool = BlockingPool(threads: configuration.blockingThreads)
        let objectStore: any ObjectStore
        if var s3 = configuration.s3 {
            s3.readinessPrefix = configuration.keyPrefix  // a probe that works with prefix-scoped IAM
            let store = S3ObjectStore(configuration: s3, pool: pool, logger: logger, environment: environment)
            if s3.createBucket { try await store.ensureBucket() }
            objectStore = store
        } else {
            objectStore = FileSystemObjectStore(
                rootDirectory: configuration.dataDirectory + "/objects", pool: pool, logger: logger)
        }
        let metadata: any MetadataStore
        var services: [any Service] = []
        if configuration.metadata.urls.isEmpty {
            metadata = try await SQLiteMetadataStore(
                path: configuration.resolvedSQLitePath, pool: pool, logger: logger)
        } else {
            let postgres = try await openPostgresMetadata(configuration: configuration.metadata, logger: logger)
            metadata = postgres.store
            services = postgres.services
        }
        var blobCache: (any BlobCache)?
        var metadataCache: RedisMetadataCache?
        var redis: RedisClient?
        if let client = try makeRedisClient(configuration: configuration.redis, pool: pool, logger: logger) {
            services.insert(client, at: 0)  // stops after everything that may still use it
            redis = client
            blobCache = RedisBlobCache(client: client, maxBlobBytes: Int(configuration.download.redisMaxBlobBytes))
            metadataCache = RedisMetadataCache(client: client, logger: logger)
        }
        services.insert(pool, at: 0)  // stops after everything that runs blocking calls on it
        let verifier = try makeVerifier(configuration: configuration, pool: pool, logger: logger)
        return NodeBackends(
            objectStore: objectStore, metadata: metadata, blobCache: blobCache, metadataCache: metadataCache,
            tokenVerifier: verifier, pool: pool, services: services, redis: redis)
    }

    static func makeVerifier(
        configuration: NodeConfiguration, pool: BlockingPool, logger: Logger
    ) throws -> any TokenVerifier {
        let auth = configuration.auth
        if let url = auth.jwksURL {
            let fetcher: any JWKSFetching =
                url.hasPrefix("file://")
                ? try StaticJWKSFetcher(fileURL: url)
                : CurlJWKSFetcher(url: url, client: CurlHTTPClient(pool: pool, logger: logger))
            return CachingTokenVerifier(JWKSTokenVerifier(configuration: auth, fetcher: fetcher, logger: logger))
        }
        let secret = try auth.hs256SecretBytes(dataDirectory: configuration.dataDirectory, logger: logger)
        return CachingTokenVerifier(try HMACTokenVerifier(secret: secret, configuration: auth, logger: logger))
    }
}

/// Fetches a JWKS document over HTTPS with libcurl.
struct CurlJWKSFetcher: JWKSFetching {
    let url: String
    let client: CurlHTTPClient

    func fetchJWKS() async throws -> [UInt8] {
        let result = try await client.get(url: url, timeout: 5)
        guard result.status == 200 else { throw CoreStoreError(.invalidCredentials) }
        return result.body
    }
}
