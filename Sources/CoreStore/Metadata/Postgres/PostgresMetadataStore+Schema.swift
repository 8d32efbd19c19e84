public import Logging
import NIOCore
public import PostgresNIO

extension PostgresMetadataStore {
    /// One schema step: statements run in the migration transaction, recorded as one version.
    struct Migration {
        let description: String
        let statements: [String]
    }

    /// The schema steps, in order: step `i` takes the database from version `i` to `i + 1`.
    /// Append new steps; never edit a released one. Running nodes of the previous release keep
    /// working against the new schema only if a step is additive, so write them that way.
    static let migrations: [Migration] = [
        Migration(
            description: "files table (design §2)",
            statements: [
                """
                CREATE TABLE files (
                    file_id text COLLATE "C" NOT NULL PRIMARY KEY,
                    user_id bytea NOT NULL,
                    file_name bytea NOT NULL,
                    object_key text NOT NULL,
                    size bigint NOT NULL,
                    md5 text NOT NULL,
                    content_type text NOT NULL,
                    created_at bigint NOT NULL,
                    last_accessed_at bigint,
                    state text NOT NULL CHECK (state IN ('live', 'deleting')),
                    state_changed_at bigint NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX files_live_name ON files (user_id, file_name) WHERE state = 'live'",
                "CREATE INDEX files_listing ON files (user_id, file_id DESC) WHERE state = 'live'",
                "CREATE INDEX files_pending ON files (state_changed_at, file_id) WHERE state = 'deleting'",
            ]),
        Migration(
            description: "resumable uploads (docs/decisions/0022)",
            statements: [
                """
                CREATE TABLE resumable_uploads (
                    upload_id text COLLATE "C" NOT NULL,
                    user_id bytea NOT NULL,
                    upload_offset bigint NOT NULL,
                    expires_at bigint NOT NULL,
                    state text NOT NULL,
                    PRIMARY KEY (user_id, upload_id)
                )
                """,
                "CREATE INDEX resumable_uploads_expiry ON resumable_uploads (expires_at)",
            ]),
        Migration(
            description: "tail journal of resumable uploads (docs/decisions/0022)",
            statements: [
                """
                CREATE TABLE resumable_pending_tails (
                    user_id bytea NOT NULL,
                    upload_id text COLLATE "C" NOT NULL,
                    tail_key text COLLATE "C" NOT NULL,
                    created_at bigint NOT NULL,
                    claimed boolean NOT NULL DEFAULT false,
                    PRIMARY KEY (user_id, upload_id, tail_key)
                )
                """,
                "CREATE INDEX resumable_pending_tails_age ON resumable_pending_tails (created_at)",
            ]),
    ]

    /// The schema version this code expects.
    public static var schemaVersion: Int { migrations.count }

    /// The table recording applied versions, one row each.
    public static let versionTable = "uds_schema_migrations"

    /// Brings one database's schema up to ``schemaVersion`` with a short-lived client of its own
    /// (one connection, run only for the migration), so it can happen before the node's service
    /// group starts the long-lived client.
    /// - Parameters:
    ///   - configuration: The database's client configuration.
    ///   - shard: How logs and errors name the database.
    ///   - timeout: Deadline for the whole migration, connecting and waiting for other nodes included.
    ///   - logger: Where the migration is logged.
    /// - Throws: ``PostgresMigrationError`` when the database is unreachable, the migration
    ///   fails, or the database's schema is newer than this code's.
    public static func migrate(
        configuration: PostgresClient.Configuration, shard: String, timeout: Duration, logger: Logger
    ) async throws {
        var configuration = configuration
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = 1
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await migrate(client: client, shard: shard, timeout: timeout, logger: logger)
        }
    }

    /// Brings the schema up to ``schemaVersion`` through a running client.
    ///
    /// Safe when many nodes start at once: the steps and the version check run in one transaction
    /// that first takes a transaction-scoped advisory lock, so one node migrates while the others
    /// wait, then find nothing left to do.
    /// - Throws: ``PostgresMigrationError``.
    public static func migrate(client: PostgresClient, shard: String, timeout: Duration, logger: Logger) async throws {
        let known = schemaVersion
        let outcome: (from: Int, to: Int)
        do {
            outcome = try await PostgresCall.run(
                client, timeout: timeout, operation: "migrate", shard: shard, logger: logger
            ) { connection in
                try await connection.withTransaction(logger: logger) { connection in
                    try await applyMissingSteps(on: connection, known: known, logger: logger)
                }
            }
        } catch {
            throw PostgresMigrationError(
                "schema migration of \(shard) failed: \(error) (details in the log)")
        }
        guard outcome.from <= known else {
            throw PostgresMigrationError(
                "the schema of \(shard) is version \(outcome.from), newer than this binary's \(known): "
                    + "upgrade this node (an older binary must not run against a newer schema)")
        }
        if outcome.from < known {
            logger.notice(
                "postgres schema migrated",
                metadata: [
                    "postgres.shard": "\(shard)", "postgres.from_version": "\(outcome.from)",
                    "postgres.to_version": "\(known)",
                ])
        }
    }

    /// Inside the migration transaction: locks, reads the version, applies what is missing.
    /// Returns the version found and the version left; a newer version found changes nothing.
    private static func applyMissingSteps(
        on connection: PostgresConnection, known: Int, logger: Logger
    ) async throws -> (from: Int, to: Int) {
        // The connection's statement_timeout (the query timeout) must not cut a long step short, nor
        // the wait behind another node's migration: the caller's deadline bounds the whole migration.
        try await execute("SET LOCAL statement_timeout = 0", on: connection, logger)
        // The two-key form: a lock space of its own, apart from the per-name bigint locks.
        try await execute("SELECT pg_advisory_xact_lock(1430541105, 1)", on: connection, logger)
        try await execute(
            """
            CREATE TABLE IF NOT EXISTS uds_schema_migrations (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, on: connection, logger)
        let rows = try await connection.query(
            "SELECT coalesce(max(version), 0)::int8 FROM uds_schema_migrations", logger: logger
        ).collect()
        let current = Int(try rows.first?.decode(Int64.self) ?? 0)
        guard current < known else { return (current, current) }
        for (index, step) in migrations.enumerated().dropFirst(current) {
            for statement in step.statements {
                try await execute(PostgresQuery(unsafeSQL: statement), on: connection, logger)
            }
            try await execute(
                "INSERT INTO uds_schema_migrations (version, description) VALUES (\(index + 1), \(step.description))",
                on: connection, logger)
        }
        return (current, known)
    }
}
