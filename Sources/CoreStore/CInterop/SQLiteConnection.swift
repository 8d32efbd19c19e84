internal import CStubs
import Foundation
import Logging

/// One connection to an SQLite database file; owns its `sqlite3*` and closes it in `deinit`.
///
/// Opened with `SQLITE_OPEN_NOMUTEX`: SQLite's own per-connection mutex would be redundant, since
/// a connection is used by one thread at a time (``SQLiteConnectionPool`` lends each connection to
/// one caller under its lock). For the same reason the class is not `Sendable`.
///
/// Every connection runs in WAL mode (readers never block the writer and vice versa, across
/// processes too) with `synchronous=FULL`: WAL with `NORMAL` survives a process crash, but after
/// a power loss or kernel crash it may roll back the last commits — and the upload node answers
/// 200 ("durable") right after `commit`, so every commit must reach the disk (one WAL fsync).
final class SQLiteConnection {
    private let handle: OpaquePointer
    private let logger: Logger
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens (creating if needed) the database file and configures the connection.
    /// - Parameters:
    ///   - path: The database file.
    ///   - busyTimeoutMilliseconds: How long a call waits for another connection's lock before
    ///     failing with `SQLITE_BUSY`.
    ///   - queryOnly: Refuse writes (`PRAGMA query_only`), for reader connections.
    ///   - logger: Where SQLite's error messages go.
    /// - Throws: `.metadataUnavailable` when the file cannot be opened or is not a database.
    init(path: String, busyTimeoutMilliseconds: Int32, queryOnly: Bool, logger: Logger) throws(CoreStoreError) {
        var database: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &database, flags, nil)
        guard code == SQLITE_OK, let database else {
            let error = Self.error(code: code, database: database, operation: "open", sql: nil, logger: logger)
            sqlite3_close_v2(database)
            throw error
        }
        self.handle = database
        self.logger = logger
        sqlite3_extended_result_codes(database, 1)
        // First, so that the pragmas below wait for a lock another process holds.
        sqlite3_busy_timeout(database, busyTimeoutMilliseconds)
        // Reading the journal mode is also the first read of the file: a non-database fails here.
        // Switching a new file to WAL can answer SQLITE_BUSY without consulting the busy handler
        // while another process (the other daemon) is creating the same file: retry it briefly.
        var attempts = 0
        var mode: String?
        while true {
            do {
                mode = try scalarText("PRAGMA journal_mode=WAL")
                break
            } catch  where error.code == .metadataUnavailable && attempts < 200 {
                attempts += 1
                Thread.sleep(forTimeInterval: 0.025)
            }
        }
        if mode?.lowercased() != "wal" {
            logger.warning(
                "sqlite database is not in WAL mode",
                metadata: ["sqlite.path": "\(path)", "sqlite.journal_mode": "\(mode ?? "")"])
        }
        try execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
        if queryOnly {
            try execute("PRAGMA query_only=ON;")
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Replaces the busy timeout set at open (0: a lock held elsewhere fails at once with
    /// `SQLITE_BUSY`).
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs a script of statements without results (pragmas, schema changes).
    /// - Throws: The mapped ``CoreStoreError``.
    func execute(_ sql: String) throws(CoreStoreError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else {
            throw Self.error(code: code, database: handle, operation: "exec", sql: sql, logger: logger)
        }
    }

    /// Lends the cached prepared statement for `sql` to `body`, then resets it.
    /// - Parameters:
    ///   - sql: One statement; the text is the cache key, so pass constants.
    ///   - body: Binds, steps and reads columns.
    /// - Throws: The mapped ``CoreStoreError`` from preparing, or what `body` throws.
    func withStatement<Result>(
        _ sql: String, _ body: (SQLiteStatement) throws(CoreStoreError) -> Result
    ) throws(CoreStoreError) -> Result {
        let statement = try prepared(sql)
        defer { statement.reset() }
        return try body(statement)
    }

    /// The first column of the first row of `sql` as text, or `nil` when there is no row.
    func scalarText(_ sql: String) throws(CoreStoreError) -> String? {
        try withStatement(sql) { statement throws(CoreStoreError) in try statement.step() ? statement.text(at: 0) : nil
        }
    }

    /// The first column of the first row of `sql` as an integer, or `nil` when there is no row.
    func scalarInt(_ sql: String) throws(CoreStoreError) -> Int64? {
        try withStatement(sql) { statement throws(CoreStoreError) in try statement.step() ? statement.int64(at: 0) : nil
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front (waiting up to
    /// the busy timeout), so the transaction can never fail half-way on a lock upgrade. Commits when
    /// `body` returns, rolls back when it throws.
    /// - Throws: What `body` throws, or the mapped ``CoreStoreError`` of BEGIN/COMMIT.
    func immediateTransaction<Result>(_ body: () throws(CoreStoreError) -> Result) throws(CoreStoreError) -> Result {
        try withStatement("BEGIN IMMEDIATE") { statement throws(CoreStoreError) in try statement.run() }
        do {
            let result = try body()
            try withStatement("COMMIT") { statement throws(CoreStoreError) in try statement.run() }
            return result
        } catch {
            rollback()
            throw error
        }
    }

    private func rollback() {
        // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
        guard sqlite3_get_autocommit(handle) == 0 else { return }
        // A failure is logged by `error(...)`; the caller already throws the original error.
        _ = try? withStatement("ROLLBACK") { statement throws(CoreStoreError) in try statement.run() }
    }

    private func prepared(_ sql: String) throws(CoreStoreError) -> SQLiteStatement {
        if let statement = statements[sql] {
            return statement
        }
        var raw: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard code == SQLITE_OK else {
            throw Self.error(code: code, database: handle, operation: "prepare", sql: sql, logger: logger)
        }
        guard let raw else {
            logger.error("sqlite statement is empty", metadata: ["sqlite.sql": "\(sql)"])
            throw CoreStoreError(.internalError)
        }
        let statement = SQLiteStatement(handle: raw, sql: sql, logger: logger)
        statements[sql] = statement
        return statement
    }
}

extension SQLiteConnection {
    /// Result codes that mean "the database is busy, gone, full or broken": the caller may retry
    /// later. Everything else (SQL errors, misuse, constraint violations) is a bug.
    private static let unavailableCodes: Set<Int32> = [
        SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY, SQLITE_INTERRUPT, SQLITE_IOERR,
        SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PROTOCOL, SQLITE_PERM, SQLITE_NOLFS,
        SQLITE_NOTADB,
    ]

    /// Maps a failed SQLite result code to a ``CoreStoreError`` and logs SQLite's message.
    /// - Parameters:
    ///   - code: The (extended) result code.
    ///   - database: The connection, for `sqlite3_errmsg`; `nil` if opening failed early.
    ///   - operation: What was being done (`open`, `prepare`, `step` …).
    ///   - sql: The statement text, if any (constant SQL; bound values are never logged).
    ///   - logger: Where the detail goes.
    /// - Returns: `.metadataUnavailable` for busy/locked/I/O/full/corrupt/cannot-open, else `.internalError`.
    static func error(code: Int32, database: OpaquePointer?, operation: String, sql: String?, logger: Logger)
        -> CoreStoreError
    {
        let detail = database.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        let unavailable = unavailableCodes.contains(code & 0xFF)
        logger.log(
            level: unavailable ? .warning : .error, "sqlite call failed",
            metadata: [
                "sqlite.operation": "\(operation)", "sqlite.code": "\(code)", "sqlite.message": "\(detail)",
                "sqlite.sql": "\(sql ?? "")",
            ])
        return CoreStoreError(unavailable ? .metadataUnavailable : .internalError)
    }
}
