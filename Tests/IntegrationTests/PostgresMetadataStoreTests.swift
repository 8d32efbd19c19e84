import CoreStore
import Foundation
import Logging
import TestSupport
import Testing

/// ``PostgresMetadataStore`` and ``ShardedMetadataStore`` against a real PostgreSQL server the
/// tests start (``PostgresServer``); every test makes its own databases.
@Suite(
    "PostgresMetadataStore against a real PostgreSQL",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresMetadataStoreTests {
    @Test("one database passes the MetadataStore contract")
    func contract() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase("contract")
        try await PostgresServer.withBackend(urls: [server.url(database: database)], logger: quietLogger) { backend in
            #expect(backend.store is PostgresMetadataStore)
            try await MetadataStoreContract.run { backend.store }
        }
    }

    @Test("two shards pass the MetadataStore contract, and each user's rows are on its shard only")
    func shardedContract() async throws {
        let server = try await PostgresServer.shared()
        let urls = [
            server.url(database: try await server.createDatabase("shard0")),
            server.url(database: try await server.createDatabase("shard1")),
        ]
        try await PostgresServer.withBackend(urls: urls, logger: quietLogger) { backend in
            let sharded = try #require(backend.store as? ShardedMetadataStore)
            try await MetadataStoreContract.run { sharded }
            for index in 0..<20 {
                let user = try UserID(validating: "pg-routing-\(index)")
                let record = MetadataStoreContract.makeRecord(user: user, name: "r.bin")
                _ = try await sharded.commit(record)
                for (position, shard) in sharded.shards.enumerated() {
                    let found = try await shard.store.record(userID: user, fileName: record.fileName)
                    #expect((found != nil) == (position == sharded.map.shard(for: user)))
                }
            }
        }
    }

    @Test("identities are bytes: canonically equivalent names are two files")
    func bytesNotStrings() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase("bytes")
        try await PostgresServer.withBackend(urls: [server.url(database: database)], logger: quietLogger) { backend in
            let user = try UserID(validating: "bytes-\(UUID().uuidString)")
            let composed = MetadataStoreContract.makeRecord(user: user, name: "caf\u{e9}", offset: 0)
            let decomposed = MetadataStoreContract.makeRecord(user: user, name: "cafe\u{301}", offset: 1)
            #expect(try await backend.store.commit(composed) == nil)
            #expect(try await backend.store.commit(decomposed) == nil, "not a replace")
            let found = try await backend.store.record(userID: user, fileName: composed.fileName)
            #expect(found?.fileID == composed.fileID)
            #expect(try await backend.store.list(userID: user, limit: 10, cursor: nil).files.count == 2)
        }
    }

    @Test("8 stores migrating one fresh database at once all succeed and leave one version row")
    func concurrentMigrations() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase("migrate")
        let settings = try PostgresConnectionSettings(url: server.url(database: database))
        let configuration = try settings.clientConfiguration(options: PostgresServer.testOptions)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await PostgresMetadataStore.migrate(
                        configuration: configuration, shard: settings.label, timeout: .seconds(30), logger: quietLogger)
                }
            }
            try await group.waitForAll()
        }
        let versions = try await server.psql(
            database: database, "SELECT version FROM uds_schema_migrations ORDER BY version")
        #expect(versions == (1...PostgresMetadataStore.schemaVersion).map(String.init).joined(separator: "\n"))
        #expect(try await server.psql(database: database, "SELECT count(*) FROM files") == "0")
    }

    @Test("a database whose schema is newer than the code refuses with a clear message")
    func newerSchemaRefused() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase("newer")
        let settings = try PostgresConnectionSettings(url: server.url(database: database))
        let configuration = try settings.clientConfiguration(options: PostgresServer.testOptions)
        try await PostgresMetadataStore.migrate(
            configuration: configuration, shard: settings.label, timeout: .seconds(30), logger: quietLogger)
        _ = try await server.psql(
            database: database, "INSERT INTO uds_schema_migrations (version, description) VALUES (999, 'future')")
        do {
            try await PostgresMetadataStore.migrate(
                configuration: configuration, shard: settings.label, timeout: .seconds(30), logger: quietLogger)
            Issue.record("an older binary migrated a newer schema")
        } catch let error as PostgresMigrationError {
            #expect(error.message.contains("version 999, newer than this binary's"), "\(error)")
        }
    }

    @Test("an unreachable database fails the migration with a named error, within the deadline")
    func unreachableMigration() async throws {
        let settings = try PostgresConnectionSettings(
            url: "postgres://u:pw@127.0.0.1:\(FreePort.next())/d?sslmode=disable")
        let configuration = try settings.clientConfiguration(options: PostgresServer.testOptions)
        let started = ContinuousClock.now
        await #expect(throws: PostgresMigrationError.self) {
            try await PostgresMetadataStore.migrate(
                configuration: configuration, shard: settings.label, timeout: .seconds(3), logger: quietLogger)
        }
        // Without the deadline postgres-nio keeps retrying for about a minute; a loaded CI box has
        // been seen to take 18 s to give up on the 3 s deadline, so the bound is generous.
        #expect(ContinuousClock.now - started < .seconds(40))
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "postgres-tests")
    logger.logLevel = .critical
    return logger
}()
