/// Where a node keeps its metadata (the `metadata*` keys): a SQLite file, or PostgreSQL databases
/// (one, or several shards) with their pool and timeouts.
public struct MetadataConfiguration: Sendable {
    /// SQLite file (`--metadata-sqlite-path`); `nil`: `<data-dir>/metadata.sqlite3`
    /// (``NodeConfiguration/resolvedSQLitePath``).
    public var sqlitePath: String?
    /// PostgreSQL metadata databases (`--metadata-urls`, comma separated `postgres://` URLs); empty
    /// selects SQLite, one URL an unsharded database, several URLs shards in this order.
    public var urls: [String] = []
    /// File holding the PostgreSQL password for URLs without one (`--metadata-password-file`).
    public var passwordFile: String?
    /// Connections per shard per node (`--metadata-pool-size`).
    public var poolSize: Int = 10
    /// Seconds to open a PostgreSQL connection (`--metadata-connect-timeout-seconds`).
    public var connectTimeoutSeconds: Double = 5
    /// Seconds one metadata call may take, waiting for a connection included
    /// (`--metadata-query-timeout-seconds`); also the server's `statement_timeout`.
    public var queryTimeoutSeconds: Double = 10
    /// Seconds a node waits at start-up for each shard's schema migration, connecting and waiting
    /// behind other nodes included (`--metadata-migration-timeout-seconds`).
    public var migrationTimeoutSeconds: Double = 300

    /// Defaults: SQLite in the data directory.
    public init() {}
}
