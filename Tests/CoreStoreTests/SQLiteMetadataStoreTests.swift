import Foundation
import Logging
import TestSupport
import Testing

@testable import CoreStore

@Suite("SQLiteMetadataStore")
struct SQLiteMetadataStoreTests {
    @Test("passes the MetadataStore contract")
    func contract() async throws {
        try await withTemporaryDatabase { path, pool in
            try await MetadataStoreContract.run {
                try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            }
        }
    }

    @Test("two stores on one file (the two daemons) see each other's writes")
    func twoStoresShareOneFile() async throws {
        try await withTemporaryDatabase { path, pool in
            let upload = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            let download = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            let user = try UserID(validating: "shared-user")
            let record = MetadataStoreContract.makeRecord(user: user, name: "shared.txt")
            _ = try await upload.commit(record)
            #expect(try await download.record(userID: user, fileName: record.fileName) == record)
            #expect(try await download.list(userID: user, limit: 10, cursor: nil).files == [record])
            #expect(try await download.remove(userID: user, fileName: record.fileName) == record)
            #expect(try await upload.record(userID: user, fileName: record.fileName) == nil)
            #expect(try await upload.pendingDeletions(limit: 10).map(\.fileID) == [record.fileID])
        }
    }

    @Test("200 concurrent commits through two stores all succeed and stay consistent")
    func concurrentCommitsFromTwoStores() async throws {
        try await withTemporaryDatabase { path, pool in
            let stores = [
                try await SQLiteMetadataStore(path: path, pool: pool, logger: logger),
                try await SQLiteMetadataStore(path: path, pool: pool, logger: logger),
            ]
            let user = try UserID(validating: "busy-user")
            let names = 40
            let versions = 5
            let replaced = try await withThrowingTaskGroup(of: FileRecord?.self) { group in
                for index in 0..<(names * versions) {
                    let store = stores[index % 2]
                    let record = MetadataStoreContract.makeRecord(
                        user: user, name: "name-\(index % names)", offset: Int64(index))
                    group.addTask { try await store.commit(record) }
                }
                return try await group.reduce(into: 0) { count, previous in count += previous == nil ? 0 : 1 }
            }
            #expect(replaced == names * (versions - 1))
            let live = try await stores[0].list(userID: user, limit: 1000, cursor: nil).files
            #expect(live.count == names)
            #expect(Set(live.map(\.fileName)).count == names)
            let pending = try await stores[1].pendingDeletions(limit: 10_000).filter { $0.userID == user }
            #expect(pending.count == names * (versions - 1))
        }
    }

    @Test("reopening runs no migration: user_version and schema_version stay")
    func migrationsAreIdempotent() async throws {
        try await withTemporaryDatabase { path, pool in
            let first = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            let record = MetadataStoreContract.makeRecord(user: try UserID(validating: "u"), name: "kept")
            _ = try await first.commit(record)
            let before = try versions(path)
            #expect(before.user == SQLiteMetadataStore.schemaVersion)
            let second = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            #expect(try versions(path) == before)
            #expect(try await second.record(userID: record.userID, fileName: record.fileName) == record)

            let connection = try SQLiteConnection(
                path: path, busyTimeoutMilliseconds: 1000, queryOnly: false, logger: logger)
            try SQLiteMetadataStore.migrate(connection, logger: logger)
            #expect(try versions(path) == before)
        }
    }

    @Test("several stores opening a new file at once migrate it once")
    func concurrentFirstOpen() async throws {
        try await withTemporaryDatabase { path, pool in
            async let a = SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            async let b = SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            async let c = SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            let stores: [SQLiteMetadataStore] = try await [a, b, c]
            for store in stores {
                try await store.checkReachable()
            }
            #expect(try versions(path).user == SQLiteMetadataStore.schemaVersion)
        }
    }

    @Test("a commit whose insert fails leaves the previous version live")
    func commitIsAtomic() async throws {
        try await withTemporaryDatabase { path, pool in
            let store = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            let connection = try SQLiteConnection(
                path: path, busyTimeoutMilliseconds: 1000, queryOnly: false, logger: logger)
            try connection.execute(
                """
                CREATE TRIGGER fail_insert BEFORE INSERT ON files WHEN NEW.content_type = 'application/x-fail'
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
                """)
            let user = try UserID(validating: "atomic")
            let first = MetadataStoreContract.makeRecord(user: user, name: "doc", offset: 0)
            var second = MetadataStoreContract.makeRecord(user: user, name: "doc", offset: 1)
            second.contentType = "application/x-fail"
            _ = try await store.commit(first)
            await #expect(throws: CoreStoreError(.internalError)) { _ = try await store.commit(second) }
            #expect(try await store.record(userID: user, fileName: first.fileName) == first)
            #expect(try await store.pendingDeletions(limit: 10).isEmpty)
        }
    }

    @Test("every connection runs WAL with synchronous=FULL")
    func durabilitySettings() async throws {
        try await withTemporaryDatabase { path, pool in
            _ = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            let connection = try SQLiteConnection(
                path: path, busyTimeoutMilliseconds: 1000, queryOnly: true, logger: logger)
            #expect(try connection.scalarText("PRAGMA journal_mode") == "wal")
            #expect(try connection.scalarInt("PRAGMA synchronous") == 2)
            #expect(try connection.scalarInt("PRAGMA foreign_keys") == 1)
            #expect(throws: CoreStoreError.self) { try connection.execute("DELETE FROM files") }
        }
    }

    @Test("a file that is not a database is metadataUnavailable")
    func corruptFile() async throws {
        try await withTemporaryDatabase { path, pool in
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
            await #expect(throws: CoreStoreError(.metadataUnavailable)) {
                _ = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            }
        }
    }

    @Test("a path that cannot be created is metadataUnavailable")
    func unopenablePath() async throws {
        try await withTemporaryDatabase { path, pool in
            for bad in [
                path + "-missing-dir/metadata.sqlite", URL(fileURLWithPath: path).deletingLastPathComponent().path,
            ] {
                await #expect(throws: CoreStoreError(.metadataUnavailable), "\(bad)") {
                    _ = try await SQLiteMetadataStore(path: bad, pool: pool, logger: logger)
                }
            }
        }
    }

    @Test("a write lock held too long is metadataUnavailable; reads go on")
    func busyWriterIsUnavailable() async throws {
        try await withTemporaryDatabase { path, pool in
            let store = try await SQLiteMetadataStore(
                path: path, pool: pool, logger: logger, busyTimeout: .milliseconds(200))
            let user = try UserID(validating: "locked-out")
            let existing = MetadataStoreContract.makeRecord(user: user, name: "existing", offset: 0)
            _ = try await store.commit(existing)

            let other = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 0, queryOnly: false, logger: logger)
            try other.execute("BEGIN IMMEDIATE")
            let blocked = MetadataStoreContract.makeRecord(user: user, name: "blocked", offset: 1)
            await #expect(throws: CoreStoreError(.metadataUnavailable)) { _ = try await store.commit(blocked) }
            #expect(try await store.record(userID: user, fileName: existing.fileName) == existing)
            try other.execute("ROLLBACK")

            #expect(try await store.commit(blocked) == nil)
            #expect(try await store.record(userID: user, fileName: blocked.fileName) == blocked)
        }
    }

    @Test("a shut-down pool is metadataUnavailable")
    func shutDownPool() async throws {
        try await withTemporaryDatabase { path, _ in
            let pool = BlockingPool(threads: 1)
            let store = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            try await pool.shutdown()
            await #expect(throws: CoreStoreError(.metadataUnavailable)) { try await store.checkReachable() }
        }
    }

    @Test("point lookups run on the caller's thread: they answer with the blocking pool shut down")
    func pointLookupSkipsThePool() async throws {
        try await withTemporaryDatabase { path, _ in
            let pool = BlockingPool(threads: 1)
            let store = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            let user = try UserID(validating: "inline-reader")
            let record = MetadataStoreContract.makeRecord(user: user, name: "inline.txt")
            _ = try await store.commit(record)
            try await pool.shutdown()
            #expect(try await store.record(userID: user, fileName: record.fileName) == record)
            #expect(try await store.record(userID: user, fileName: try FileName(validating: "absent")) == nil)
            await #expect(throws: CoreStoreError(.metadataUnavailable)) {
                _ = try await store.list(userID: user, limit: 1, cursor: nil)
            }
        }
    }

    @Test("a non-waiting reader answers nil when all are lent out or the read fails, so the caller uses the pool")
    func nonWaitingReaderDeclines() async throws {
        try await withTemporaryDatabase { path, pool in
            _ = try await SQLiteMetadataStore(path: path, pool: pool, logger: logger)
            let connections = try SQLiteConnectionPool(
                path: path, busyTimeoutMilliseconds: 1000, maximumIdleReaders: 1, nonWaitingReaders: 1, logger: logger)
            let nested = connections.tryWithNonWaitingReader { outer throws(CoreStoreError) in
                (try outer.scalarInt("SELECT 7"), connections.tryWithNonWaitingReader { _ in 1 })
            }
            #expect(nested?.0 == 7)
            #expect(nested?.1 == nil)
            let failed = connections.tryWithNonWaitingReader { reader throws(CoreStoreError) in
                try reader.execute("DELETE FROM files")
            }
            #expect(failed == nil)
            #expect(connections.tryWithNonWaitingReader { _ in 3 } == 3)
        }
    }

    @Test("cursors round-trip and reject foreign text")
    func cursorCodec() throws {
        let id = FileID.generate()
        let cursor = FileListCursor.encode(after: id)
        #expect(try FileListCursor.decode(cursor) == id)
        #expect(!cursor.contains("=") && !cursor.contains("+") && !cursor.contains("/"))
        #expect(throws: CoreStoreError(.badRequest, "invalid cursor")) { try FileListCursor.decode(cursor + "+") }
        #expect(throws: CoreStoreError(.badRequest, "invalid cursor")) {
            try FileListCursor.decode(String(cursor.dropLast(2)))
        }
    }
}

private let logger: Logger = {
    var logger = Logger(label: "sqlite-metadata-tests")
    logger.logLevel = .critical
    return logger
}()

/// (`user_version`, `schema_version`) of the database file; `schema_version` changes with any DDL.
private func versions(_ path: String) throws -> Versions {
    let connection = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1000, queryOnly: true, logger: logger)
    return Versions(
        user: try connection.scalarInt("PRAGMA user_version") ?? -1,
        schema: try connection.scalarInt("PRAGMA schema_version") ?? -1)
}

private struct Versions: Equatable {
    var user: Int64
    var schema: Int64
}

/// Runs `body` with a database path in a fresh temporary directory and a 4-thread pool; removes both.
private func withTemporaryDatabase(_ body: (String, BlockingPool) async throws -> Void) async throws {
    let directory = URL(fileURLWithPath: IntegrationEnvironment.processRoot).appendingPathComponent(
        "sqlite-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let pool = BlockingPool(threads: 4)
    do {
        try await body(directory.appendingPathComponent("metadata.sqlite").path, pool)
    } catch {
        try? await pool.shutdown()
        try? FileManager.default.removeItem(at: directory)
        throw error
    }
    try await pool.shutdown()
    try FileManager.default.removeItem(at: directory)
}
