import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The statements of ``PostgresMetadataStore`` and the mapping between rows and ``FileRecord``.
///
/// User ids and file names are `bytea` (their UTF-8 bytes): the database compares and indexes
/// them byte for byte, whatever its collation. Times are integer milliseconds since 1970, as in
/// the SQLite store, so both backends round the same way.
enum PostgresFileQueries {
    /// The record columns, in the order ``record(from:logger:)`` reads them.
    static let columns =
        "file_id, user_id, file_name, object_key, size, md5, content_type, created_at, last_accessed_at"

    static func selectLive(_ userID: UserID, _ fileName: FileName) -> PostgresQuery {
        """
        SELECT \(unescaped: columns) FROM files
        WHERE user_id = \(bytes(userID.rawValue)) AND file_name = \(bytes(fileName.rawValue)) AND state = 'live'
        """
    }

    static func exists(_ fileID: FileID) -> PostgresQuery {
        "SELECT 1 FROM files WHERE file_id = \(fileID.rawValue)"
    }

    /// Serializes writers of one (user, name) until the transaction ends (a transaction-scoped
    /// advisory lock on a hash of both byte strings; a collision only serializes two names).
    static func lockName(_ userID: UserID, _ fileName: FileName) -> PostgresQuery {
        let key = Array(userID.rawValue.utf8) + [0] + Array(fileName.rawValue.utf8)
        return "SELECT pg_advisory_xact_lock(\(Int64(bitPattern: XXH3.hash64(key))))"
    }

    /// Serializes a user's quota-checked commits until the transaction ends (the hash of the
    /// user id's bytes and a 0x01 tag, so it never equals a name lock's key).
    static func lockUser(_ userID: UserID) -> PostgresQuery {
        let key = Array(userID.rawValue.utf8) + [1]
        return "SELECT pg_advisory_xact_lock(\(Int64(bitPattern: XXH3.hash64(key))))"
    }

    /// The user's live bytes and files, leaving out one name (no file name is empty, so ""
    /// leaves out nothing).
    static func usage(_ userID: UserID, excluding: FileName?) -> PostgresQuery {
        """
        SELECT COALESCE(SUM(size), 0)::int8, COUNT(*)::int8 FROM files
        WHERE user_id = \(bytes(userID.rawValue)) AND state = 'live' AND file_name <> \(bytes(excluding?.rawValue ?? ""))
        """
    }

    static func retireLive(_ userID: UserID, _ fileName: FileName, now: Int64) -> PostgresQuery {
        """
        UPDATE files SET state = 'deleting', state_changed_at = \(now)
        WHERE user_id = \(bytes(userID.rawValue)) AND file_name = \(bytes(fileName.rawValue)) AND state = 'live'
        RETURNING \(unescaped: columns)
        """
    }

    static func insertLive(_ record: FileRecord, now: Int64) -> PostgresQuery {
        """
        INSERT INTO files (\(unescaped: columns), state, state_changed_at) VALUES (
            \(record.fileID.rawValue), \(bytes(record.userID.rawValue)), \(bytes(record.fileName.rawValue)),
            \(record.objectKey.rawValue), \(record.size), \(record.md5.hex), \(record.contentType),
            \(milliseconds(record.createdAt)), \(record.lastAccessedAt.map(milliseconds)), 'live', \(now))
        """
    }

    static func purge(_ fileID: FileID) -> PostgresQuery {
        "DELETE FROM files WHERE file_id = \(fileID.rawValue) AND state = 'deleting' RETURNING file_id"
    }

    static func pending(limit: Int) -> PostgresQuery {
        """
        SELECT \(unescaped: columns), state_changed_at FROM files WHERE state = 'deleting'
        ORDER BY state_changed_at, file_id LIMIT \(Int64(limit))
        """
    }

    static func page(_ userID: UserID, limit: Int, after: FileID?) -> PostgresQuery {
        if let after {
            return """
                SELECT \(unescaped: columns) FROM files
                WHERE user_id = \(bytes(userID.rawValue)) AND state = 'live' AND file_id < \(after.rawValue)
                ORDER BY file_id DESC LIMIT \(Int64(limit))
                """
        }
        return """
            SELECT \(unescaped: columns) FROM files WHERE user_id = \(bytes(userID.rawValue)) AND state = 'live'
            ORDER BY file_id DESC LIMIT \(Int64(limit))
            """
    }

    /// One statement for the whole batch; a stored time never moves backwards.
    static func recordAccess(_ times: [(FileID, Date)]) -> PostgresQuery {
        let ids = times.map { $0.0.rawValue }
        let stamps = times.map { milliseconds($0.1) }
        return """
            UPDATE files AS f SET last_accessed_at = GREATEST(COALESCE(f.last_accessed_at, u.at), u.at)
            FROM unnest(\(ids)::text[], \(stamps)::int8[]) AS u(id, at) WHERE f.file_id = u.id
            """
    }

    /// The UTF-8 bytes of an identity, bound as `bytea`.
    static func bytes(_ text: String) -> ByteBuffer {
        ByteBuffer(bytes: Array(text.utf8))
    }

    /// Reads a row selected with ``columns`` (and possibly more columns after them) as a record.
    /// - Throws: `.internalError` when a stored value is not valid (the row was not written by this store).
    static func record(from row: PostgresRow, logger: Logger) throws(CoreStoreError) -> FileRecord {
        let cells = row.makeRandomAccess()
        let rawID = (try? cells[0].decode(String.self)) ?? "?"
        do {
            let user = String(buffer: try cells[1].decode(ByteBuffer.self))
            let name = String(buffer: try cells[2].decode(ByteBuffer.self))
            guard let fileID = FileID(rawID) else { throw CoreStoreError(.internalError) }
            return FileRecord(
                fileID: fileID, userID: try UserID(validating: user), fileName: try FileName(validating: name),
                objectKey: ObjectKey(rawValue: try cells[3].decode(String.self)), size: try cells[4].decode(Int64.self),
                md5: try ContentDigest(parsing: try cells[5].decode(String.self)),
                contentType: try cells[6].decode(String.self),
                createdAt: date(milliseconds: try cells[7].decode(Int64.self)),
                lastAccessedAt: try cells[8].decode(Int64?.self).map(date(milliseconds:)))
        } catch {
            logger.error("postgres row is malformed", metadata: ["file.id": "\(rawID)", "error": "\(error)"])
            throw CoreStoreError(.internalError)
        }
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
