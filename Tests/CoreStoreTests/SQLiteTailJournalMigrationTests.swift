import Foundation
import TestSupport
import Testing

@testable import CoreStore

/// Schema migration 3 (the tail journal of resumable uploads, docs/decisions/0022) on a database
/// file of the previous release.
@Suite("SQLite tail-journal migration")
struct SQLiteTailJournalMigrationTests {
    @Test("a version-2 file with an upload in progress migrates to version 3 and keeps the upload")
    func fromVersionTwo() async throws {
        let path = IntegrationEnvironment.temporaryDirectory("sqlite-tail-journal") + "/metadata.sqlite"
        let upload = try ResumableStoresTests.sampleUpload(user: "migrated")
        let userID = try UserID(validating: upload.userID)
        let state = try upload.encoded()
        do {
            let connection = try SQLiteConnection(
                path: path, busyTimeoutMilliseconds: 1000, queryOnly: false, logger: TestNode.logger)
            for script in SQLiteMetadataStore.migrations.prefix(2) { try connection.execute(script) }
            try connection.execute("PRAGMA user_version = 2")
            try connection.withStatement(SQLiteMetadataStore.insertUpload) { statement throws(CoreStoreError) in
                try statement.bind(upload.id, at: 1)
                try statement.bind(upload.userID, at: 2)
                try statement.bind(upload.offset, at: 3)
                try statement.bind(SQLiteFileQueries.milliseconds(upload.expiresAt), at: 4)
                try statement.bind(state, at: 5)
                try statement.run()
            }
        }
        let store = try await SQLiteMetadataStore(path: path, pool: TestNode.pool, logger: TestNode.logger)
        let connection = try SQLiteConnection(
            path: path, busyTimeoutMilliseconds: 1000, queryOnly: true, logger: TestNode.logger)
        #expect(try connection.scalarInt("PRAGMA user_version") == 3)
        #expect(try await store.upload(id: upload.id, userID: userID) == upload)
        let tail = ResumablePendingTail(
            userID: userID, uploadID: upload.id, tailKey: upload.objectKey + ".tail.1", createdAt: Date())
        try await store.recordPendingTail(tail)
        #expect(try await store.claimPendingTails(uploadID: upload.id, userID: userID).map(\.tailKey) == [tail.tailKey])
    }
}
