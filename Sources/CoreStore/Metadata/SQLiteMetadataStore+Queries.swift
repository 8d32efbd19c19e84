import Foundation
import Logging

/// The statements of ``SQLiteMetadataStore`` and the mapping between rows and ``FileRecord``.
enum SQLiteFileQueries {
    /// The record columns, in the order ``record(from:logger:)`` reads them.
    static let columns =
        "file_id, user_id, file_name, object_key, size, md5, content_type, created_at, last_accessed_at"

    /// ?1 user, ?2 name.
    static let selectLive = "SELECT \(columns) FROM files WHERE user_id = ?1 AND file_name = ?2 AND state = 'live'"

    /// ?1 file id.
    static let exists = "SELECT 1 FROM files WHERE file_id = ?1"

    /// ?1 user, ?2 name, ?3 now; returns the retired row.
    static let retireLive = """
        UPDATE files SET state = 'deleting', state_changed_at = ?3
        WHERE user_id = ?1 AND file_name = ?2 AND state = 'live' RETURNING \(columns)
        """

    /// ?1…?9 the record columns, ?10 now.
    static let insertLive = """
        INSERT INTO files (\(columns), state, state_changed_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'live', ?10)
        """

    /// ?1 file id.
    static let purge = "DELETE FROM files WHERE file_id = ?1 AND state = 'deleting'"

    /// ?1 limit.
    static let pending = """
        SELECT \(columns) FROM files WHERE state = 'deleting' ORDER BY state_changed_at, file_id LIMIT ?1
        """

    /// ?1 user, ?2 limit.
    static let firstPage = """
        SELECT \(columns) FROM files WHERE user_id = ?1 AND state = 'live' ORDER BY file_id DESC LIMIT ?2
        """

    /// ?1 user, ?2 limit, ?3 the previous page's last file id.
    static let nextPage = """
        SELECT \(columns) FROM files WHERE user_id = ?1 AND state = 'live' AND file_id < ?3
        ORDER BY file_id DESC LIMIT ?2
        """

    /// ?1 file id, ?2 access time; never moves the time backwards.
    static let recordAccess = """
        UPDATE files SET last_accessed_at = max(coalesce(last_accessed_at, ?2), ?2) WHERE file_id = ?1
        """

    /// Binds a record to ?1…?9 in ``columns`` order.
    static func bind(_ record: FileRecord, to statement: SQLiteStatement) throws(CoreStoreError) {
        try statement.bind(record.fileID.rawValue, at: 1)
        try statement.bind(record.userID.rawValue, at: 2)
        try statement.bind(record.fileName.rawValue, at: 3)
        try statement.bind(record.objectKey.rawValue, at: 4)
        try statement.bind(record.size, at: 5)
        try statement.bind(record.md5.hex, at: 6)
        try statement.bind(record.contentType, at: 7)
        try statement.bind(milliseconds(record.createdAt), at: 8)
        try statement.bind(record.lastAccessedAt.map(milliseconds), at: 9)
    }

    /// Reads the current row (selected with ``columns``) as a record.
    /// - Throws: `.internalError` when a stored value is not valid (the row was not written by this store).
    static func record(from statement: SQLiteStatement, logger: Logger) throws(CoreStoreError) -> FileRecord {
        let rawID = statement.text(at: 0)
        guard let fileID = FileID(rawID),
            let userID = try? UserID(validating: statement.text(at: 1)),
            let fileName = try? FileName(validating: statement.text(at: 2)),
            let md5 = try? ContentDigest(parsing: statement.text(at: 5))
        else {
            logger.error("sqlite row is malformed", metadata: ["file.id": "\(rawID)"])
            throw CoreStoreError(.internalError)
        }
        return FileRecord(
            fileID: fileID, userID: userID, fileName: fileName,
            objectKey: ObjectKey(rawValue: statement.text(at: 3)), size: statement.int64(at: 4), md5: md5,
            contentType: statement.text(at: 6), createdAt: date(milliseconds: statement.int64(at: 7)),
            lastAccessedAt: statement.optionalInt64(at: 8).map(date(milliseconds:)))
    }

    /// Reads every row of a stepped statement as records.
    static func records(from statement: SQLiteStatement, logger: Logger) throws(CoreStoreError) -> [FileRecord] {
        var records: [FileRecord] = []
        while try statement.step() {
            records.append(try record(from: statement, logger: logger))
        }
        return records
    }

    /// Integer milliseconds since 1970, as stored.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The date of stored milliseconds since 1970.
    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
