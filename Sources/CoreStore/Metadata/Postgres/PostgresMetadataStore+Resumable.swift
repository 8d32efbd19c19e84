public import Foundation
import PostgresNIO

extension PostgresMetadataStore: ResumableUploadStore {
    /// Records a new upload.
    /// - Throws: `.metadataUnavailable`.
    public func createUpload(_ upload: ResumableUpload) async throws {
        let state = try upload.encoded()
        let query: PostgresQuery = """
            INSERT INTO resumable_uploads (upload_id, user_id, upload_offset, expires_at, state) VALUES (
                \(upload.id), \(PostgresFileQueries.bytes(upload.userID)), \(upload.offset),
                \(PostgresFileQueries.milliseconds(upload.expiresAt)), \(state))
            """
        try await call("createUpload") { connection, logger in
            try await Self.execute(query, on: connection, logger)
        }
    }

    /// The upload `id` of `userID`, or `nil`.
    /// - Throws: `.metadataUnavailable`.
    public func upload(id: String, userID: UserID) async throws -> ResumableUpload? {
        let query: PostgresQuery = """
            SELECT state FROM resumable_uploads
            WHERE upload_id = \(id) AND user_id = \(PostgresFileQueries.bytes(userID.rawValue))
            """
        return try await states(query, operation: "upload").first
    }

    /// Deletes the upload's row and returns it; its tail gets a journal entry (same transaction).
    /// - Throws: `.metadataUnavailable`.
    public func removeUpload(id: String, userID: UserID) async throws -> ResumableUpload? {
        let query: PostgresQuery = """
            DELETE FROM resumable_uploads
            WHERE upload_id = \(id) AND user_id = \(PostgresFileQueries.bytes(userID.rawValue)) RETURNING state
            """
        let now = Date()
        let state = try await transaction("removeUpload") { connection, logger -> String? in
            guard let row = try await connection.query(query, logger: logger).collect().first else { return nil }
            let state = try row.decode(String.self)
            if let tailKey = try ResumableUpload.decoded(state).tailKey {
                let tail = ResumablePendingTail(userID: userID, uploadID: id, tailKey: tailKey, createdAt: now)
                try await Self.execute(Self.insertPendingTail(tail), on: connection, logger)
            }
            return state
        }
        return try state.map { (text) throws(CoreStoreError) in try ResumableUpload.decoded(text) }
    }

    /// Uploads that expired before `date`, oldest first.
    /// - Throws: `.metadataUnavailable`.
    public func expiredUploads(before date: Date, limit: Int) async throws -> [ResumableUpload] {
        guard limit > 0 else { return [] }
        let query: PostgresQuery = """
            SELECT state FROM resumable_uploads WHERE expires_at < \(PostgresFileQueries.milliseconds(date))
            ORDER BY expires_at LIMIT \(Int64(limit))
            """
        return try await states(query, operation: "expiredUploads")
    }

    private func states(_ query: PostgresQuery, operation: String) async throws -> [ResumableUpload] {
        let texts = try await call(operation) { connection, logger in
            var texts: [String] = []
            for row in try await connection.query(query, logger: logger).collect() {
                texts.append(try row.decode(String.self))
            }
            return texts
        }
        return try texts.map { (text) throws(CoreStoreError) in try ResumableUpload.decoded(text) }
    }
}
