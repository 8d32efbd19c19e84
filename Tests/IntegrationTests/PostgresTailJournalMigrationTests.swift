import CoreStore
import Foundation
import Logging
import TestSupport
import Testing

/// PostgreSQL migration 3 (the tail journal of resumable uploads, docs/decisions/0022) on a
/// database of the previous release, holding an upload in progress.
@Suite(
    "PostgreSQL tail-journal migration",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresTailJournalMigrationTests {
    /// The released schema at version 2 (migrations 1 and 2 as they shipped), with its version rows.
    static let versionTwo = """
        CREATE TABLE uds_schema_migrations (
            version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE files (
            file_id text COLLATE "C" NOT NULL PRIMARY KEY, user_id bytea NOT NULL, file_name bytea NOT NULL,
            object_key text NOT NULL, size bigint NOT NULL, md5 text NOT NULL, content_type text NOT NULL,
            created_at bigint NOT NULL, last_accessed_at bigint,
            state text NOT NULL CHECK (state IN ('live', 'deleting')), state_changed_at bigint NOT NULL);
        CREATE UNIQUE INDEX files_live_name ON files (user_id, file_name) WHERE state = 'live';
        CREATE INDEX files_listing ON files (user_id, file_id DESC) WHERE state = 'live';
        CREATE INDEX files_pending ON files (state_changed_at, file_id) WHERE state = 'deleting';
        CREATE TABLE resumable_uploads (
            upload_id text COLLATE "C" NOT NULL, user_id bytea NOT NULL, upload_offset bigint NOT NULL,
            expires_at bigint NOT NULL, state text NOT NULL, PRIMARY KEY (user_id, upload_id));
        CREATE INDEX resumable_uploads_expiry ON resumable_uploads (expires_at);
        INSERT INTO uds_schema_migrations (version, description) VALUES (1, 'files'), (2, 'resumable uploads');
        """

    @Test("a version-2 database with an upload in progress migrates to version 3 and keeps the upload")
    func fromVersionTwo() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase("tailjournal")
        let userID = try UserID(validating: "migrated")
        let fileID = FileID.generate()
        let upload = ResumableUpload(
            id: ResumableUpload.newID(), userID: userID, fileName: try FileName(validating: "old.bin"),
            length: 12_000_000, expectedMD5: MD5Hasher.digest([7]), contentType: "application/octet-stream",
            fileID: fileID, objectKey: ObjectKey(prefix: "files", userID: userID, fileID: fileID), partBytes: 5 << 20,
            createdAt: Date(), expiresAt: Date().addingTimeInterval(3600))
        let state = try upload.encoded()
        _ = try await server.psql(
            database: database,
            Self.versionTwo + """
                INSERT INTO resumable_uploads (upload_id, user_id, upload_offset, expires_at, state)
                VALUES ('\(upload.id)', convert_to('migrated', 'UTF8'), 0, 0, $state$\(state)$state$);
                """)
        try await PostgresServer.withBackend(urls: [server.url(database: database)], logger: TestNode.logger) {
            backend in
            let versions = try await server.psql(
                database: database, "SELECT version FROM uds_schema_migrations ORDER BY version")
            #expect(versions == "1\n2\n3")
            let store = try #require(backend.store as? any ResumableUploadStore)
            #expect(try await store.upload(id: upload.id, userID: userID) == upload)
            let tail = ResumablePendingTail(
                userID: userID, uploadID: upload.id, tailKey: upload.objectKey + ".tail.1", createdAt: Date())
            try await store.recordPendingTail(tail)
            let claimed = try await store.claimPendingTails(uploadID: upload.id, userID: userID)
            #expect(claimed.map(\.tailKey) == [tail.tailKey])
        }
    }
}
