public import CoreStore
public import Foundation
public import Logging
public import NodeHTTP

/// Node parts on embedded backends in a fresh temporary data directory (route tests), or on
/// given real backends (integration tests).
public enum TestNode {
    /// The HS256 secret every test node and token share.
    public static let secret = Array("test-secret-test-secret-test-secret!".utf8)

    /// The blocking pool every test node shares. A pool per node would leave its threads behind
    /// (nodes built for route tests are never shut down), ~900 idle threads per test run.
    public static let pool = BlockingPool(threads: 32)

    /// A logger that only reports warnings (tests stay quiet).
    public static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// A token for `user`, issued at `issuedAt` and valid for `ttl` seconds.
    public static func token(for user: String, ttl: TimeInterval = 3600, issuedAt: Date = Date()) -> String {
        HMACTokenVerifier.issue(userID: try! UserID(validating: user), ttl: ttl, secret: secret, now: issuedAt)
    }

    /// `Bearer <token>` for `user`.
    public static func bearer(_ user: String) -> String { "Bearer \(token(for: user))" }

    /// Parts for a node over embedded backends (filesystem objects, SQLite) unless given others.
    /// - Parameters:
    ///   - role: Which daemon.
    ///   - dataDirectory: The data directory (a fresh temporary one by default).
    ///   - objectStore: Overrides the filesystem store.
    ///   - blobCache: Redis blob cache, if any.
    ///   - metadataCache: Redis metadata cache, if any.
    ///   - configure: Adjusts the configuration.
    ///   - wrapMetadata: Wraps the SQLite store (fault injection).
    public static func parts(
        role: NodeConfiguration.Role, dataDirectory: String? = nil, objectStore: (any ObjectStore)? = nil,
        blobCache: (any BlobCache)? = nil, metadataCache: RedisMetadataCache? = nil,
        configure: (inout NodeConfiguration) -> Void = { _ in },
        wrapMetadata: (any MetadataStore) -> any MetadataStore = { $0 }
    ) async throws -> NodeMain.Parts {
        var configuration = NodeConfiguration(role: role)
        configuration.dataDirectory = dataDirectory ?? IntegrationEnvironment.temporaryDirectory("node")
        configuration.port = 0
        configuration.upload.spoolMinFreeBytes = 0
        configuration.blockingThreads = 16
        configure(&configuration)
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let store =
            objectStore
            ?? FileSystemObjectStore(
                rootDirectory: configuration.dataDirectory + "/objects", pool: pool, logger: logger)
        let metadata = wrapMetadata(
            try await SQLiteMetadataStore(path: configuration.resolvedSQLitePath, pool: pool, logger: logger))
        let verifier = try HMACTokenVerifier(secret: secret, logger: logger)
        let backends = NodeBackends(
            objectStore: store, metadata: metadata, blobCache: blobCache, metadataCache: metadataCache,
            tokenVerifier: verifier, pool: pool)
        return NodeMain.Parts(configuration: configuration, backends: backends, drain: DrainState(), logger: logger)
    }
}
