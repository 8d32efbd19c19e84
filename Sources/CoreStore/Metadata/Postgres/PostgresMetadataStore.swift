public import Foundation
public import Logging
import NIOCore
public import PostgresNIO

/// The production ``MetadataStore``: one PostgreSQL database (or one shard of several, see
/// ``ShardedMetadataStore``), with the same semantics as ``SQLiteMetadataStore``.
///
/// Every write is one transaction that first takes a transaction-scoped advisory lock on its
/// (user, name), so concurrent commits of one name from many nodes queue instead of racing on the
/// unique index. Every call has a deadline (``PostgresPoolOptions/queryTimeout``) and failures
/// become ``CoreStoreError`` (`.metadataUnavailable` for anything transient).
///
/// The store does not run its client: ``client`` must be running (it is a ServiceLifecycle
/// `Service`; the node puts it in its service group) for calls to proceed. The schema is brought
/// up to date beforehand with ``migrate(configuration:shard:timeout:logger:)``.
public final class PostgresMetadataStore: MetadataStore, PendingDeletionListing {
    /// The connection pool the store uses.
    public let client: PostgresClient
    /// `host:port/database`, for logs and readiness (no credentials).
    public let label: String
    private let queryTimeout: Duration
    private let logger: Logger

    /// Wraps a client.
    /// - Parameters:
    ///   - client: The pool; someone else runs it.
    ///   - label: How logs name this database (``PostgresConnectionSettings/label``).
    ///   - queryTimeout: Deadline of each call, waiting for a connection included.
    ///   - logger: Where failures are logged.
    public init(client: PostgresClient, label: String, queryTimeout: Duration, logger: Logger) {
        self.client = client
        self.label = label
        self.queryTimeout = queryTimeout
        self.logger = logger
    }

    /// The live record of a user's file, or `nil`.
    /// - Throws: `.metadataUnavailable`.
    public func record(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        let query = PostgresFileQueries.selectLive(userID, fileName)
        return try await call("record") { connection, logger in
            try await Self.records(query, on: connection, logger: logger).first
        }
    }

    /// Makes `record` the live version of its (user, name) in one transaction; the previous live
    /// version moves to the pending-deletion state and is returned. Committing a file id that is
    /// already stored (live or not) changes nothing and returns `nil`.
    /// With a quota, the user's lock is taken first (before the name's, always in that order, so
    /// two commits cannot deadlock), then the usage is read in the same transaction: two nodes
    /// committing for one user at once are checked one after the other.
    /// - Throws: `.quotaExceeded` (nothing changed), `.metadataUnavailable`.
    public func commit(_ record: FileRecord, quota: StorageQuota) async throws -> FileRecord? {
        let now = PostgresFileQueries.milliseconds(Date())
        return try await transaction("commit") { connection, logger in
            if !quota.isUnlimited {
                try await Self.execute(PostgresFileQueries.lockUser(record.userID), on: connection, logger)
            }
            try await Self.execute(PostgresFileQueries.lockName(record.userID, record.fileName), on: connection, logger)
            let known = try await connection.query(PostgresFileQueries.exists(record.fileID), logger: logger).collect()
            guard known.isEmpty else {
                logger.debug("file id already committed", metadata: ["file.id": "\(record.fileID)"])
                return nil
            }
            if !quota.isUnlimited {
                let usage = try await Self.usage(record.userID, excluding: record.fileName, on: connection, logger)
                try quota.check(adding: record.size, to: usage)
            }
            let retire = PostgresFileQueries.retireLive(record.userID, record.fileName, now: now)
            let previous = try await Self.records(retire, on: connection, logger: logger).first
            try await Self.execute(PostgresFileQueries.insertLive(record, now: now), on: connection, logger)
            return previous
        }
    }

    /// What a user stores now (live files only).
    /// - Parameter excluding: A file name whose live version is left out.
    /// - Throws: `.metadataUnavailable`.
    public func usage(userID: UserID, excluding: FileName?) async throws -> StorageUsage {
        try await call("usage") { connection, logger in
            try await Self.usage(userID, excluding: excluding, on: connection, logger)
        }
    }

    /// Moves the live record of a user's file to the pending-deletion state and returns it.
    /// - Throws: `.metadataUnavailable`.
    public func remove(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        let now = PostgresFileQueries.milliseconds(Date())
        return try await transaction("remove") { connection, logger in
            try await Self.execute(PostgresFileQueries.lockName(userID, fileName), on: connection, logger)
            let retire = PostgresFileQueries.retireLive(userID, fileName, now: now)
            return try await Self.records(retire, on: connection, logger: logger).first
        }
    }

    /// Forgets a pending-deletion record once its object is gone; live records are left alone.
    /// - Throws: `.metadataUnavailable`.
    public func purge(fileID: FileID) async throws {
        _ = try await purgeIfPresent(fileID: fileID)
    }

    /// Forgets a pending-deletion record and says whether this database held it.
    /// - Throws: `.metadataUnavailable`.
    public func purgeIfPresent(fileID: FileID) async throws -> Bool {
        try await call("purge") { connection, logger in
            try await !connection.query(PostgresFileQueries.purge(fileID), logger: logger).collect().isEmpty
        }
    }

    /// Pending-deletion records, the longest-pending first.
    /// - Throws: `.metadataUnavailable`.
    public func pendingDeletions(limit: Int) async throws -> [FileRecord] {
        try await pendingDeletionsWithTimes(limit: limit).map(\.record)
    }

    /// Pending-deletion records with the time each was retired, the longest-pending first.
    /// - Throws: `.metadataUnavailable`.
    public func pendingDeletionsWithTimes(limit: Int) async throws -> [PendingDeletion] {
        guard limit > 0 else { return [] }
        return try await call("pendingDeletions") { connection, logger in
            var entries: [PendingDeletion] = []
            for row in try await connection.query(PostgresFileQueries.pending(limit: limit), logger: logger).collect() {
                let record = try PostgresFileQueries.record(from: row, logger: logger)
                let since = try row.makeRandomAccess()[9].decode(Int64.self)
                entries.append(PendingDeletion(record: record, since: PostgresFileQueries.date(milliseconds: since)))
            }
            return entries
        }
    }

    /// A user's live files, newest first, `limit` (at least 1) at a time.
    /// - Throws: `.metadataUnavailable`, `.badRequest` ("invalid cursor") for a cursor this store did not issue.
    public func list(userID: UserID, limit: Int, cursor: String?) async throws -> FilePage {
        let after = try cursor.map { (text) throws(CoreStoreError) in try FileListCursor.decode(text) }
        let pageSize = max(limit, 1)
        let query = PostgresFileQueries.page(userID, limit: pageSize + 1, after: after)
        let rows = try await call("list") { connection, logger in
            try await Self.records(query, on: connection, logger: logger)
        }
        return FilePage(rows: rows, pageSize: pageSize)
    }

    /// Records download times in one statement; a stored time is never moved backwards and
    /// unknown file ids are ignored.
    /// - Throws: `.metadataUnavailable`.
    public func recordAccess(_ times: [FileID: Date]) async throws {
        guard !times.isEmpty else { return }
        let query = PostgresFileQueries.recordAccess(times.map { ($0.key, $0.value) })
        try await call("recordAccess") { connection, logger in
            try await Self.execute(query, on: connection, logger)
        }
    }

    /// Cheap reachability check for readiness probes (`SELECT 1`), with a deadline of at most
    /// 2 s (load-balancer health checks time out after a few seconds; a dead server would
    /// otherwise hold the probe for the whole query timeout).
    /// - Throws: `.metadataUnavailable`.
    public func checkReachable() async throws {
        try await call("checkReachable", timeout: min(queryTimeout, .seconds(2))) { connection, logger in
            try await Self.execute("SELECT 1", on: connection, logger)
        }
    }
}

extension PostgresMetadataStore {
    /// Runs `body` on a pooled connection under the query deadline.
    func call<Value: Sendable>(
        _ operation: String, timeout: Duration? = nil,
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Value
    ) async throws(CoreStoreError) -> Value {
        let logger = self.logger
        return try await PostgresCall.run(
            client, timeout: timeout ?? queryTimeout, operation: operation, shard: label, logger: logger
        ) { connection in try await body(connection, logger) }
    }

    /// Runs `body` inside `BEGIN` … `COMMIT` (rolled back when it throws) under the query deadline.
    func transaction<Value: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Value
    ) async throws(CoreStoreError) -> Value {
        try await call(operation) { connection, logger in
            try await connection.withTransaction(logger: logger) { connection in try await body(connection, logger) }
        }
    }

    /// Runs a statement and drains its result, so errors raised while it executes surface here.
    static func execute(_ query: PostgresQuery, on connection: PostgresConnection, _ logger: Logger) async throws {
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// Runs the usage query on `connection` (inside the caller's transaction, if any).
    static func usage(
        _ userID: UserID, excluding: FileName?, on connection: PostgresConnection, _ logger: Logger
    ) async throws -> StorageUsage {
        let query = PostgresFileQueries.usage(userID, excluding: excluding)
        for try await (bytes, files) in try await connection.query(query, logger: logger).decode((Int64, Int64).self) {
            return StorageUsage(bytes: bytes, files: files)
        }
        return StorageUsage(bytes: 0, files: 0)
    }

    /// Runs a query and reads every row as a record.
    static func records(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws
        -> [FileRecord]
    {
        var records: [FileRecord] = []
        for row in try await connection.query(query, logger: logger).collect() {
            records.append(try PostgresFileQueries.record(from: row, logger: logger))
        }
        return records
    }
}
