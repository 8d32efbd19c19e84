public import Foundation

extension SQLiteMetadataStore: ResumableUploadStore {
    /// ?1 id, ?2 user, ?3 offset, ?4 expiry (ms), ?5 state.
    static let insertUpload = """
        INSERT INTO resumable_uploads (upload_id, user_id, upload_offset, expires_at, state) VALUES (?1, ?2, ?3, ?4, ?5)
        """
    /// ?1 id, ?2 user.
    static let selectUpload = "SELECT state FROM resumable_uploads WHERE upload_id = ?1 AND user_id = ?2"
    /// ?1 id, ?2 user, ?3 new offset, ?4 new state, ?5 expected offset.
    static let advanceUploadQuery = """
        UPDATE resumable_uploads SET upload_offset = ?3, state = ?4
        WHERE upload_id = ?1 AND user_id = ?2 AND upload_offset = ?5 RETURNING upload_id
        """
    /// ?1 id, ?2 user.
    static let deleteUpload = "DELETE FROM resumable_uploads WHERE upload_id = ?1 AND user_id = ?2 RETURNING state"
    /// ?1 cutoff (ms), ?2 limit.
    static let expiredUploadsQuery = """
        SELECT state FROM resumable_uploads WHERE expires_at < ?1 ORDER BY expires_at LIMIT ?2
        """

    /// Records a new upload.
    /// - Throws: `.metadataUnavailable`.
    public func createUpload(_ upload: ResumableUpload) async throws {
        let state = try upload.encoded()
        try await write { connection, _ throws(CoreStoreError) in
            try connection.withStatement(Self.insertUpload) { statement throws(CoreStoreError) in
                try statement.bind(upload.id, at: 1)
                try statement.bind(upload.userID, at: 2)
                try statement.bind(upload.offset, at: 3)
                try statement.bind(SQLiteFileQueries.milliseconds(upload.expiresAt), at: 4)
                try statement.bind(state, at: 5)
                try statement.run()
            }
        }
    }

    /// The upload `id` of `userID`, or `nil`.
    /// - Throws: `.metadataUnavailable`.
    public func upload(id: String, userID: UserID) async throws -> ResumableUpload? {
        let state = try await read { connection, _ throws(CoreStoreError) -> String? in
            try connection.withStatement(Self.selectUpload) { statement throws(CoreStoreError) in
                try statement.bind(id, at: 1)
                try statement.bind(userID.rawValue, at: 2)
                return try statement.step() ? statement.text(at: 0) : nil
            }
        }
        return try state.map { (text) throws(CoreStoreError) in try ResumableUpload.decoded(text) }
    }

    /// Deletes the upload's row and returns it; its tail gets a journal entry (same transaction).
    /// - Throws: `.metadataUnavailable`.
    public func removeUpload(id: String, userID: UserID) async throws -> ResumableUpload? {
        let now = SQLiteFileQueries.milliseconds(Date())
        return try await write { connection, _ throws(CoreStoreError) -> ResumableUpload? in
            let state = try connection.withStatement(Self.deleteUpload) { statement throws(CoreStoreError) in
                try statement.bind(id, at: 1)
                try statement.bind(userID.rawValue, at: 2)
                return try statement.step() ? statement.text(at: 0) : nil
            }
            guard let state else { return nil }
            let removed = try ResumableUpload.decoded(state)
            if let tailKey = removed.tailKey {
                try Self.insertPendingTail(tailKey, uploadID: id, userID: userID.rawValue, at: now, on: connection)
            }
            return removed
        }
    }

    /// Uploads that expired before `date`, oldest first.
    /// - Throws: `.metadataUnavailable`.
    public func expiredUploads(before date: Date, limit: Int) async throws -> [ResumableUpload] {
        guard limit > 0 else { return [] }
        let cutoff = SQLiteFileQueries.milliseconds(date)
        let states = try await read { connection, _ throws(CoreStoreError) -> [String] in
            try connection.withStatement(Self.expiredUploadsQuery) { statement throws(CoreStoreError) in
                try statement.bind(cutoff, at: 1)
                try statement.bind(Int64(limit), at: 2)
                var states: [String] = []
                while try statement.step() { states.append(statement.text(at: 0)) }
                return states
            }
        }
        return try states.map { (text) throws(CoreStoreError) in try ResumableUpload.decoded(text) }
    }
}
