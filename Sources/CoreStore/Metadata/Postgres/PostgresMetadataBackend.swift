public import Logging
public import PostgresNIO
public import ServiceLifecycle

/// The PostgreSQL metadata backend of a node: one client and store per configured database,
/// combined into a ``ShardedMetadataStore`` when there are several.
public struct PostgresMetadataBackend: Sendable {
    /// The store route handlers use.
    public let store: any MetadataStore
    /// The connection pools, one per shard; each must run (as a `Service` in the node's service
    /// group) for the store to answer.
    public let clients: [PostgresClient]

    /// Builds the clients and stores and migrates every shard's schema first (each with a
    /// short-lived connection of its own, all shards at once), so the node only starts serving
    /// once every shard has the schema this code expects.
    /// - Parameters:
    ///   - shards: The parsed database URLs, in configuration order (the order decides shard ownership).
    ///   - options: Pool size and timeouts, per shard.
    ///   - migrationTimeout: Deadline of each shard's migration (connecting included).
    ///   - logger: Where the backend logs.
    /// - Throws: ``PostgresURLError`` for unusable TLS material, ``PostgresMigrationError`` when a
    ///   shard cannot be reached or migrated, or its schema is newer than this code's.
    public static func open(
        shards: [PostgresConnectionSettings], options: PostgresPoolOptions, migrationTimeout: Duration,
        logger: Logger
    ) async throws -> PostgresMetadataBackend {
        precondition(!shards.isEmpty, "at least one database URL")
        let configurations = try shards.map { try $0.clientConfiguration(options: options) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (settings, configuration) in zip(shards, configurations) {
                group.addTask {
                    try await PostgresMetadataStore.migrate(
                        configuration: configuration, shard: settings.label, timeout: migrationTimeout, logger: logger)
                }
            }
            try await group.waitForAll()
        }
        let clients = configurations.map { PostgresClient(configuration: $0, backgroundLogger: logger) }
        let stores = zip(shards, clients).map { settings, client in
            PostgresMetadataStore(
                client: client, label: settings.label, queryTimeout: options.queryTimeout, logger: logger)
        }
        logger.info(
            "postgres metadata store opened",
            metadata: [
                "postgres.shards": "\(shards.map(\.label).joined(separator: ","))",
                "postgres.pool_size": "\(options.maximumConnections)",
            ])
        if stores.count == 1 {
            return PostgresMetadataBackend(store: stores[0], clients: clients)
        }
        let sharded = ShardedMetadataStore(
            shards: stores.map { ShardedMetadataStore.Shard(store: $0, label: $0.label) }, logger: logger)
        return PostgresMetadataBackend(store: sharded, clients: clients)
    }

    /// The clients as services for the node's service group.
    public var services: [any Service] { clients.map { $0 as any Service } }

    /// Runs every client until the calling task is cancelled (for embedders without a service
    /// group, such as tests).
    public func run() async {
        await withDiscardingTaskGroup { group in
            for client in clients {
                group.addTask { await client.run() }
            }
        }
    }
}
