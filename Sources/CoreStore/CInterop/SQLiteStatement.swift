internal import CStubs
import Logging

/// One prepared SQLite statement; owns its `sqlite3_stmt` and finalizes it in `deinit`.
///
/// Used only by the ``SQLiteConnection`` that prepared it, on one thread at a time. Parameter
/// and column indexes are 1-based for binds and 0-based for columns, as in the C API.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let sql: String
    private let logger: Logger

    /// Takes ownership of a statement `sqlite3_prepare_v3` returned.
    init(handle: OpaquePointer, sql: String, logger: Logger) {
        self.handle = handle
        self.sql = sql
        self.logger = logger
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds UTF-8 text (SQLite copies it).
    func bind(_ value: String, at index: Int32) throws(CoreStoreError) {
        let length = Int32(value.utf8.count)
        // withCString never hands out a null pointer, so an empty string binds '' rather than NULL.
        let code = value.withCString { cstubs_sqlite3_bind_text_transient(handle, index, $0, length) }
        try check(code, "bind")
    }

    /// Binds a 64-bit integer.
    func bind(_ value: Int64, at index: Int32) throws(CoreStoreError) {
        try check(sqlite3_bind_int64(handle, index, value), "bind")
    }

    /// Binds a 64-bit integer or SQL NULL.
    func bind(_ value: Int64?, at index: Int32) throws(CoreStoreError) {
        if let value {
            try bind(value, at: index)
        } else {
            try check(sqlite3_bind_null(handle, index), "bind")
        }
    }

    /// Advances to the next row.
    /// - Returns: `true` when a row is available, `false` when the statement is done.
    /// - Throws: The mapped ``CoreStoreError`` for any other result.
    func step() throws(CoreStoreError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw SQLiteConnection.error(
                code: code, database: sqlite3_db_handle(handle), operation: "step", sql: sql, logger: logger)
        }
    }

    /// Steps to completion, ignoring any rows.
    func run() throws(CoreStoreError) {
        while try step() {}
    }

    /// Resets the statement and clears its bindings so it can be reused; ends its implicit read
    /// transaction (a statement left mid-way would pin an old WAL snapshot).
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// The text of column `index` of the current row (`""` for NULL).
    func text(at index: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The integer in column `index` of the current row (0 for NULL).
    func int64(at index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// The integer in column `index` of the current row, or `nil` for NULL.
    func optionalInt64(at index: Int32) -> Int64? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
    }

    private func check(_ code: Int32, _ operation: String) throws(CoreStoreError) {
        guard code == SQLITE_OK else {
            throw SQLiteConnection.error(
                code: code, database: sqlite3_db_handle(handle), operation: operation, sql: sql, logger: logger)
        }
    }
}
