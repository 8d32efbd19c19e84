public import Foundation
public import Logging

/// The embedded ``MetadataStore``: one SQLite file in WAL mode, which the upload and download
/// daemons of one host may share.
///
/// Every call runs on the ``BlockingPool`` except the point lookup of ``record(userID:fileName:)``
/// (every download makes one), which first tries a reader that never waits for a lock on the
/// caller's thread — one indexed read of a few cached pages, cheaper than the hop to the pool
/// and back — and repeats on the pool when that reader is busy or fails. Writes go through one connection per store, one at a
/// time, each in a `BEGIN IMMEDIATE` transaction committed with `synchronous=FULL` (durable when
/// it returns); reads use a few separate connections and never wait for writes.
/// Writers of the other daemon are waited for up to the busy timeout.
public final class SQLiteMetadataStore: MetadataStore {
    private let connections: SQLiteConnectionPool
    private let pool: BlockingPool
    private let logger: Logger

    /// Opens (creating if needed) the database file and brings its schema up to date.
    /// - Parameters:
    ///   - path: The database file; its directory must exist. `-wal` and `-shm` files appear beside it.
    ///   - pool: Where the blocking SQLite calls run.
    ///   - logger: Where SQLite errors and migrations are logged.
    ///   - busyTimeout: How long a call waits for a lock the other daemon holds before failing
    ///     with `.metadataUnavailable`.
    /// - Throws: `.metadataUnavailable` when the file cannot be opened or created, is not a
    ///   database, or stays locked; `.internalError` when the schema cannot be applied.
    public init(path: String, pool: BlockingPool, logger: Logger, busyTimeout: Duration = .seconds(5)) async throws {
        let (seconds, attoseconds) = busyTimeout.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        self.pool = pool
        self.logger = logger
        self.connections = try await SQLiteMetadataStore.run(on: pool, logger: logger) { () throws(CoreStoreError) in
            try SQLiteMetadataStore.restrictFiles(path, logger: logger)
            let connections = try SQLiteConnectionPool(
                path: path, busyTimeoutMilliseconds: milliseconds, maximumIdleReaders: 4,
                nonWaitingReaders: ProcessInfo.processInfo.activeProcessorCount, logger: logger)
            try SQLiteMetadataStore.restrictFiles(path, logger: logger)  // the -wal and -shm it created
            try connections.withWriter { connection throws(CoreStoreError) in
                try SQLiteMetadataStore.migrate(connection, logger: logger)
            }
            return connections
        }
        logger.debug("sqlite metadata store opened", metadata: ["sqlite.path": "\(path)"])
    }

    /// The live record of a user's file, or `nil`.
    /// - Throws: `.metadataUnavailable`.
    public func record(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        let lookup = { @Sendable (connection: SQLiteConnection, logger: Logger) throws(CoreStoreError) -> FileRecord? in
            try connection.withStatement(SQLiteFileQueries.selectLive) { statement throws(CoreStoreError) in
                try statement.bind(userID.rawValue, at: 1)
                try statement.bind(fileName.rawValue, at: 2)
                return try statement.step() ? SQLiteFileQueries.record(from: statement, logger: logger) : nil
            }
        }
        let logger = self.logger
        if let answered = connections.tryWithNonWaitingReader({ connection throws(CoreStoreError) in
            LookupAnswer(record: try lookup(connection, logger))
        }) {
            return answered.record
        }
        return try await read(lookup)
    }

    /// Makes `record` the live version of its (user, name) in one transaction; the previous live
    /// version moves to the pending-deletion state and is returned. Committing a file id that is
    /// already stored (live or not) changes nothing and returns `nil`.
    /// With a quota, the usage is read inside the same write transaction (SQLite has one writer
    /// at a time, so no other commit can slip in between the check and the insert).
    /// - Throws: `.quotaExceeded` (nothing changed), `.metadataUnavailable`.
    public func commit(_ record: FileRecord, quota: StorageQuota) async throws -> FileRecord? {
        let now = SQLiteFileQueries.milliseconds(Date())
        return try await write { connection, logger throws(CoreStoreError) in
            let known = try connection.withStatement(SQLiteFileQueries.exists) { statement throws(CoreStoreError) in
                try statement.bind(record.fileID.rawValue, at: 1)
                return try statement.step()
            }
            guard !known else {
                logger.debug("file id already committed", metadata: ["file.id": "\(record.fileID)"])
                return nil
            }
            if !quota.isUnlimited {
                let usage = try Self.usage(record.userID, excluding: record.fileName, in: connection)
                try quota.check(adding: record.size, to: usage)
            }
            let previous = try Self.retire(record.userID, record.fileName, now: now, in: connection, logger: logger)
            try connection.withStatement(SQLiteFileQueries.insertLive) { statement throws(CoreStoreError) in
                try SQLiteFileQueries.bind(record, to: statement)
                try statement.bind(now, at: 10)
                try statement.run()
            }
            return previous
        }
    }

    /// Moves the live record of a user's file to the pending-deletion state and returns it.
    /// - Throws: `.metadataUnavailable`.
    public func remove(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        let now = SQLiteFileQueries.milliseconds(Date())
        return try await write { connection, logger throws(CoreStoreError) in
            try Self.retire(userID, fileName, now: now, in: connection, logger: logger)
        }
    }

    /// Forgets a pending-deletion record once its object is gone; live records are left alone.
    /// - Throws: `.metadataUnavailable`.
    public func purge(fileID: FileID) async throws {
        try await write { connection, _ throws(CoreStoreError) in
            try connection.withStatement(SQLiteFileQueries.purge) { statement throws(CoreStoreError) in
                try statement.bind(fileID.rawValue, at: 1)
                try statement.run()
            }
        }
    }

    /// Pending-deletion records, the longest-pending first.
    /// - Throws: `.metadataUnavailable`.
    public func pendingDeletions(limit: Int) async throws -> [FileRecord] {
        guard limit > 0 else { return [] }
        return try await read { connection, logger throws(CoreStoreError) in
            try connection.withStatement(SQLiteFileQueries.pending) { statement throws(CoreStoreError) in
                try statement.bind(Int64(limit), at: 1)
                return try SQLiteFileQueries.records(from: statement, logger: logger)
            }
        }
    }

    /// A user's live files, newest first, `limit` (at least 1) at a time.
    /// - Throws: `.metadataUnavailable`, `.badRequest` ("invalid cursor") for a cursor this store did not issue.
    public func list(userID: UserID, limit: Int, cursor: String?) async throws -> FilePage {
        let after = try cursor.map { (text) throws(CoreStoreError) in try FileListCursor.decode(text) }
        let pageSize = max(limit, 1)
        let rows = try await read { connection, logger throws(CoreStoreError) in
            try connection.withStatement(after == nil ? SQLiteFileQueries.firstPage : SQLiteFileQueries.nextPage) {
                statement throws(CoreStoreError) in
                try statement.bind(userID.rawValue, at: 1)
                try statement.bind(Int64(pageSize) + 1, at: 2)
                if let after {
                    try statement.bind(after.rawValue, at: 3)
                }
                return try SQLiteFileQueries.records(from: statement, logger: logger)
            }
        }
        return FilePage(rows: rows, pageSize: pageSize)
    }

    /// Records download times in one transaction; a stored time is never moved backwards and
    /// unknown file ids are ignored.
    /// - Throws: `.metadataUnavailable`.
    public func recordAccess(_ times: [FileID: Date]) async throws {
        guard !times.isEmpty else { return }
        let updates = times.map { ($0.key.rawValue, SQLiteFileQueries.milliseconds($0.value)) }
        try await write { connection, _ throws(CoreStoreError) in
            for (fileID, milliseconds) in updates {
                try connection.withStatement(SQLiteFileQueries.recordAccess) { statement throws(CoreStoreError) in
                    try statement.bind(fileID, at: 1)
                    try statement.bind(milliseconds, at: 2)
                    try statement.run()
                }
            }
        }
    }

    /// Cheap reachability check for readiness probes (`SELECT 1` on a reader connection).
    /// - Throws: `.metadataUnavailable`.
    public func checkReachable() async throws {
        _ = try await read { connection, _ throws(CoreStoreError) in try connection.scalarInt("SELECT 1") }
    }
}

extension SQLiteMetadataStore {
    /// A point lookup's answer, which may be "no such file" (`nil` inside, unlike "not answered").
    private struct LookupAnswer {
        let record: FileRecord?
    }

    /// Retires the live row of (user, name), if any, and returns it.
    private static func retire(
        _ userID: UserID, _ fileName: FileName, now: Int64, in connection: SQLiteConnection, logger: Logger
    ) throws(CoreStoreError) -> FileRecord? {
        try connection.withStatement(SQLiteFileQueries.retireLive) { statement throws(CoreStoreError) in
            try statement.bind(userID.rawValue, at: 1)
            try statement.bind(fileName.rawValue, at: 2)
            try statement.bind(now, at: 3)
            return try SQLiteFileQueries.records(from: statement, logger: logger).first
        }
    }

    /// Runs `body` on the pool with a reader connection.
    func read<Result: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection, Logger) throws(CoreStoreError) -> Result
    ) async throws(CoreStoreError) -> Result {
        let (connections, logger) = (self.connections, self.logger)
        return try await Self.run(on: pool, logger: logger) { () throws(CoreStoreError) in
            try connections.withReader { connection throws(CoreStoreError) in try body(connection, logger) }
        }
    }

    /// Runs `body` on the pool with the writer connection, inside a `BEGIN IMMEDIATE` transaction.
    func write<Result: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection, Logger) throws(CoreStoreError) -> Result
    ) async throws(CoreStoreError) -> Result {
        let (connections, logger) = (self.connections, self.logger)
        return try await Self.run(on: pool, logger: logger) { () throws(CoreStoreError) in
            try connections.withWriter { connection throws(CoreStoreError) in
                try connection.immediateTransaction { () throws(CoreStoreError) in try body(connection, logger) }
            }
        }
    }

    /// Hops onto the blocking pool; a pool that refuses work (shut down) is `.metadataUnavailable`.
    private static func run<Result: Sendable>(
        on pool: BlockingPool, logger: Logger, _ body: @escaping @Sendable () throws(CoreStoreError) -> Result
    ) async throws(CoreStoreError) -> Result {
        do {
            return try await pool.run { try body() }
        } catch let error as CoreStoreError {
            throw error
        } catch {
            logger.warning("blocking pool refused a metadata call", metadata: ["error": "\(error)"])
            throw CoreStoreError(.metadataUnavailable)
        }
    }
}
