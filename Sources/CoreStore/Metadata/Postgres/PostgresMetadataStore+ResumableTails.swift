public import Foundation
import NIOCore
import PostgresNIO

/// The tail journal of resumable uploads on PostgreSQL (docs/decisions/0022-resumable-upload-state.md):
/// `resumable_pending_tails` on the shard of the upload's row (this store is one shard), and the
/// row update that adopts a journaled tail.
extension PostgresMetadataStore {
    /// Records a tail object about to be written.
    /// - Throws: `.metadataUnavailable`.
    public func recordPendingTail(_ tail: ResumablePendingTail) async throws {
        let query = Self.insertPendingTail(tail)
        try await call("recordPendingTail") { connection, logger in
            try await Self.execute(query, on: connection, logger)
        }
    }

    /// Removes the journal entry of `tailKey`.
    /// - Throws: `.metadataUnavailable`.
    public func removePendingTail(key tailKey: String, uploadID: String, userID: UserID) async throws {
        let query = Self.deletePendingTail(tailKey, uploadID: uploadID, userID: userID.rawValue)
        try await call("removePendingTail") { connection, logger in
            try await Self.execute(query, on: connection, logger)
        }
    }

    /// Claims and returns every journal entry of one upload.
    /// - Throws: `.metadataUnavailable`.
    public func claimPendingTails(uploadID: String, userID: UserID) async throws -> [ResumablePendingTail] {
        let query: PostgresQuery = """
            UPDATE resumable_pending_tails SET claimed = true
            WHERE user_id = \(PostgresFileQueries.bytes(userID.rawValue)) AND upload_id = \(uploadID)
            RETURNING user_id, upload_id, tail_key, created_at
            """
        return try await pendingTails(query, operation: "claimPendingTails")
    }

    /// Claims and returns journal entries recorded before `date`, oldest first.
    /// - Throws: `.metadataUnavailable`.
    public func claimPendingTails(recordedBefore date: Date, limit: Int) async throws -> [ResumablePendingTail] {
        guard limit > 0 else { return [] }
        let query: PostgresQuery = """
            UPDATE resumable_pending_tails SET claimed = true
            WHERE (user_id, upload_id, tail_key) IN (
                SELECT user_id, upload_id, tail_key FROM resumable_pending_tails
                WHERE created_at < \(PostgresFileQueries.milliseconds(date)) ORDER BY created_at LIMIT \(Int64(limit))
                FOR UPDATE SKIP LOCKED)
            RETURNING user_id, upload_id, tail_key, created_at
            """
        return try await pendingTails(query, operation: "claimStalePendingTails").sorted { $0.createdAt < $1.createdAt }
    }

    /// Advances the upload and keeps the tail journal, in one transaction: the new tail's entry is
    /// locked first (a sweep claiming it waits, then finds it gone), the row is updated with the
    /// offset check, then the entry is removed and a retired tail recorded.
    /// - Throws: `.metadataUnavailable`.
    public func advanceUpload(
        _ upload: ResumableUpload, from expectedOffset: Int64, replacingTail previousTail: String?
    ) async throws -> Bool {
        let state = try upload.encoded()
        let userID = try UserID(validating: upload.userID)
        let adopted = upload.tailKey == previousTail ? nil : upload.tailKey
        let retired = previousTail == upload.tailKey ? nil : previousTail
        let now = Date()
        let update: PostgresQuery = """
            UPDATE resumable_uploads SET upload_offset = \(upload.offset), state = \(state)
            WHERE upload_id = \(upload.id) AND user_id = \(PostgresFileQueries.bytes(upload.userID))
            AND upload_offset = \(expectedOffset) RETURNING upload_id
            """
        return try await transaction("advanceUploadTail") { connection, logger in
            if let adopted {
                let lock: PostgresQuery = """
                    SELECT 1 FROM resumable_pending_tails
                    WHERE user_id = \(PostgresFileQueries.bytes(upload.userID)) AND upload_id = \(upload.id)
                    AND tail_key = \(adopted) AND NOT claimed FOR UPDATE
                    """
                guard try await !connection.query(lock, logger: logger).collect().isEmpty else { return false }
            }
            guard try await !connection.query(update, logger: logger).collect().isEmpty else { return false }
            if let adopted {
                try await Self.execute(
                    Self.deletePendingTail(adopted, uploadID: upload.id, userID: upload.userID), on: connection, logger)
            }
            if let retired {
                let tail = ResumablePendingTail(userID: userID, uploadID: upload.id, tailKey: retired, createdAt: now)
                try await Self.execute(Self.insertPendingTail(tail), on: connection, logger)
            }
            return true
        }
    }

    /// The statement recording `tail` (a second record of the same entry changes nothing).
    static func insertPendingTail(_ tail: ResumablePendingTail) -> PostgresQuery {
        """
        INSERT INTO resumable_pending_tails (user_id, upload_id, tail_key, created_at) VALUES (
            \(PostgresFileQueries.bytes(tail.userID.rawValue)), \(tail.uploadID), \(tail.tailKey),
            \(PostgresFileQueries.milliseconds(tail.createdAt)))
        ON CONFLICT (user_id, upload_id, tail_key) DO NOTHING
        """
    }

    /// The statement removing the entry of `tailKey`.
    private static func deletePendingTail(_ tailKey: String, uploadID: String, userID: String) -> PostgresQuery {
        """
        DELETE FROM resumable_pending_tails
        WHERE user_id = \(PostgresFileQueries.bytes(userID)) AND upload_id = \(uploadID) AND tail_key = \(tailKey)
        """
    }

    /// Runs a claim and reads the rows (user, upload, key, recorded) it returned.
    /// - Throws: `.metadataUnavailable`; `.internalError` for a stored user id that is not valid.
    private func pendingTails(_ query: PostgresQuery, operation: String) async throws -> [ResumablePendingTail] {
        let rows = try await call(operation) { connection, logger in
            var rows: [(String, String, String, Int64)] = []
            for row in try await connection.query(query, logger: logger).collect() {
                let (user, upload, key, created) = try row.decode((ByteBuffer, String, String, Int64).self)
                rows.append((String(buffer: user), upload, key, created))
            }
            return rows
        }
        var tails: [ResumablePendingTail] = []
        for (user, upload, key, created) in rows {
            guard let userID = try? UserID(validating: user) else { throw CoreStoreError(.internalError) }
            tails.append(
                ResumablePendingTail(
                    userID: userID, uploadID: upload, tailKey: key,
                    createdAt: PostgresFileQueries.date(milliseconds: created)))
        }
        return tails
    }
}
