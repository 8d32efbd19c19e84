public import Foundation

/// The tail journal of resumable uploads on SQLite (docs/decisions/0022-resumable-upload-state.md):
/// `resumable_pending_tails`, and the row update that adopts a journaled tail.
extension SQLiteMetadataStore {
    /// ?1 user, ?2 upload, ?3 key, ?4 recorded (ms).
    static let insertPendingTailQuery = """
        INSERT INTO resumable_pending_tails (user_id, upload_id, tail_key, created_at) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (user_id, upload_id, tail_key) DO NOTHING
        """
    /// ?1 user, ?2 upload, ?3 key.
    static let unclaimedPendingTailQuery = """
        SELECT 1 FROM resumable_pending_tails
        WHERE user_id = ?1 AND upload_id = ?2 AND tail_key = ?3 AND claimed = 0
        """
    /// ?1 user, ?2 upload, ?3 key.
    static let deletePendingTailQuery = """
        DELETE FROM resumable_pending_tails WHERE user_id = ?1 AND upload_id = ?2 AND tail_key = ?3
        """
    /// ?1 user, ?2 upload.
    static let claimUploadTailsQuery = """
        UPDATE resumable_pending_tails SET claimed = 1 WHERE user_id = ?1 AND upload_id = ?2
        RETURNING user_id, upload_id, tail_key, created_at
        """
    /// ?1 cutoff (ms), ?2 limit.
    static let claimStaleTailsQuery = """
        UPDATE resumable_pending_tails SET claimed = 1
        WHERE (user_id, upload_id, tail_key) IN (
            SELECT user_id, upload_id, tail_key FROM resumable_pending_tails
            WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)
        RETURNING user_id, upload_id, tail_key, created_at
        """

    /// Records a tail object about to be written.
    /// - Throws: `.metadataUnavailable`.
    public func recordPendingTail(_ tail: ResumablePendingTail) async throws {
        let createdAt = SQLiteFileQueries.milliseconds(tail.createdAt)
        try await write { connection, _ throws(CoreStoreError) in
            try Self.insertPendingTail(
                tail.tailKey, uploadID: tail.uploadID, userID: tail.userID.rawValue, at: createdAt, on: connection)
        }
    }

    /// Removes the journal entry of `tailKey`.
    /// - Throws: `.metadataUnavailable`.
    public func removePendingTail(key tailKey: String, uploadID: String, userID: UserID) async throws {
        try await write { connection, _ throws(CoreStoreError) in
            try Self.deletePendingTail(tailKey, uploadID: uploadID, userID: userID.rawValue, on: connection)
        }
    }

    /// Claims and returns every journal entry of one upload.
    /// - Throws: `.metadataUnavailable`.
    public func claimPendingTails(uploadID: String, userID: UserID) async throws -> [ResumablePendingTail] {
        try await write { connection, _ throws(CoreStoreError) in
            try connection.withStatement(Self.claimUploadTailsQuery) { statement throws(CoreStoreError) in
                try statement.bind(userID.rawValue, at: 1)
                try statement.bind(uploadID, at: 2)
                return try Self.pendingTails(from: statement)
            }
        }
    }

    /// Claims and returns journal entries recorded before `date`, oldest first.
    /// - Throws: `.metadataUnavailable`.
    public func claimPendingTails(recordedBefore date: Date, limit: Int) async throws -> [ResumablePendingTail] {
        guard limit > 0 else { return [] }
        let cutoff = SQLiteFileQueries.milliseconds(date)
        let tails = try await write { connection, _ throws(CoreStoreError) in
            try connection.withStatement(Self.claimStaleTailsQuery) { statement throws(CoreStoreError) in
                try statement.bind(cutoff, at: 1)
                try statement.bind(Int64(limit), at: 2)
                return try Self.pendingTails(from: statement)
            }
        }
        return tails.sorted { $0.createdAt < $1.createdAt }
    }

    /// Advances the upload and keeps the tail journal, in one transaction.
    /// - Throws: `.metadataUnavailable`.
    public func advanceUpload(
        _ upload: ResumableUpload, from expectedOffset: Int64, replacingTail previousTail: String?
    ) async throws -> Bool {
        let state = try upload.encoded()
        let now = SQLiteFileQueries.milliseconds(Date())
        let adopted = upload.tailKey == previousTail ? nil : upload.tailKey
        let retired = previousTail == upload.tailKey ? nil : previousTail
        return try await write { connection, _ throws(CoreStoreError) in
            if let adopted {
                let journaled = try connection.withStatement(Self.unclaimedPendingTailQuery) {
                    statement throws(CoreStoreError) in
                    try statement.bind(upload.userID, at: 1)
                    try statement.bind(upload.id, at: 2)
                    try statement.bind(adopted, at: 3)
                    return try statement.step()
                }
                guard journaled else { return false }
            }
            let advanced = try connection.withStatement(Self.advanceUploadQuery) { statement throws(CoreStoreError) in
                try statement.bind(upload.id, at: 1)
                try statement.bind(upload.userID, at: 2)
                try statement.bind(upload.offset, at: 3)
                try statement.bind(state, at: 4)
                try statement.bind(expectedOffset, at: 5)
                return try statement.step()
            }
            guard advanced else { return false }
            if let adopted {
                try Self.deletePendingTail(adopted, uploadID: upload.id, userID: upload.userID, on: connection)
            }
            if let retired {
                try Self.insertPendingTail(retired, uploadID: upload.id, userID: upload.userID, at: now, on: connection)
            }
            return true
        }
    }

    /// Inserts a journal entry on `connection` (inside the caller's transaction).
    static func insertPendingTail(
        _ tailKey: String, uploadID: String, userID: String, at milliseconds: Int64, on connection: SQLiteConnection
    ) throws(CoreStoreError) {
        try connection.withStatement(insertPendingTailQuery) { statement throws(CoreStoreError) in
            try statement.bind(userID, at: 1)
            try statement.bind(uploadID, at: 2)
            try statement.bind(tailKey, at: 3)
            try statement.bind(milliseconds, at: 4)
            try statement.run()
        }
    }

    /// Deletes a journal entry on `connection` (inside the caller's transaction).
    private static func deletePendingTail(
        _ tailKey: String, uploadID: String, userID: String, on connection: SQLiteConnection
    ) throws(CoreStoreError) {
        try connection.withStatement(deletePendingTailQuery) { statement throws(CoreStoreError) in
            try statement.bind(userID, at: 1)
            try statement.bind(uploadID, at: 2)
            try statement.bind(tailKey, at: 3)
            try statement.run()
        }
    }

    /// Reads the rows (user, upload, key, recorded) a claim returned.
    /// - Throws: `.internalError` for a stored user id that is not valid.
    private static func pendingTails(from statement: SQLiteStatement) throws(CoreStoreError) -> [ResumablePendingTail] {
        var tails: [ResumablePendingTail] = []
        while try statement.step() {
            guard let userID = try? UserID(validating: statement.text(at: 0)) else {
                throw CoreStoreError(.internalError)
            }
            tails.append(
                ResumablePendingTail(
                    userID: userID, uploadID: statement.text(at: 1), tailKey: statement.text(at: 2),
                    createdAt: SQLiteFileQueries.date(milliseconds: statement.int64(at: 3))))
        }
        return tails
    }
}
