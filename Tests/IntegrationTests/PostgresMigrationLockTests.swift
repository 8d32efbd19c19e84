import CoreStore
import Foundation
import PostgresNIO
import TestSupport
import Testing

/// A migration waiting behind another node's longer than the connection's `statement_timeout`
/// must still succeed: only the migration deadline bounds it.
@Suite(
    "Postgres migration waits behind another node",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresMigrationLockTests {
    @Test("a migration blocked on the migration lock past statement_timeout (1 s) still succeeds")
    func waitOutlastsStatementTimeout() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase("lockwait")
        let settings = try PostgresConnectionSettings(url: server.url(database: database))
        var options = PostgresServer.testOptions
        options.queryTimeout = .seconds(1)
        let configuration = try settings.clientConfiguration(options: options)
        let holder = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await holder.run() }
            defer { group.cancelAll() }
            try await holder.withConnection { connection in
                _ = try await connection.query("SET statement_timeout = 0", logger: quietLogger).collect()
                _ = try await connection.query("SELECT pg_advisory_lock(1430541105, 1)", logger: quietLogger).collect()
                async let migrated: Void = PostgresMetadataStore.migrate(
                    configuration: configuration, shard: settings.label, timeout: .seconds(30), logger: quietLogger)
                // Wait (bounded) until the migration is queued behind the lock, then hold it past the timeout.
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline {
                    let waiting = try await connection.query(
                        "SELECT count(*)::int8 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
                        logger: quietLogger
                    ).collect().first?.decode(Int64.self)
                    if waiting == 1 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                _ = try await connection.query("SELECT pg_sleep(1.5)", logger: quietLogger).collect()
                _ = try await connection.query("SELECT pg_advisory_unlock(1430541105, 1)", logger: quietLogger)
                    .collect()
                try await migrated
            }
        }
        let versions = try await server.psql(
            database: database, "SELECT version FROM uds_schema_migrations ORDER BY version")
        #expect(versions == (1...PostgresMetadataStore.schemaVersion).map(String.init).joined(separator: "\n"))
    }
}
