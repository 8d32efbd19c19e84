public import CoreStore
import Foundation
import Testing

/// The checks every ``ResumableUploadStore`` passes (SQLite in unit tests, PostgreSQL in integration tests).
public enum ResumableStoreContract {
    /// Runs the checks against `store`.
    public static func run(_ store: any ResumableUploadStore) async throws {
        let userID = try UserID(validating: "alice-\(UInt32.random(in: 0 ... .max))")
        let fileID = FileID.generate()
        var upload = ResumableUpload(
            id: ResumableUpload.newID(), userID: userID, fileName: try FileName(validating: "big.bin"),
            length: 12_000_000,
            expectedMD5: MD5Hasher.digest([1, 2, 3]), contentType: "application/octet-stream", fileID: fileID,
            objectKey: ObjectKey(prefix: "files", userID: userID, fileID: fileID), partBytes: 5 << 20,
            createdAt: Date(), expiresAt: Date().addingTimeInterval(3600))
        try await store.createUpload(upload)
        #expect(try await store.upload(id: upload.id, userID: userID) == upload)
        #expect(try await store.upload(id: upload.id, userID: UserID(validating: "mallory")) == nil)

        var next = upload
        next.offset = 5 << 20
        next.durableOffset = 5 << 20
        next.multipartID = "mp-1"
        next.parts = [CompletedPart(partNumber: 1, etag: "e1")]
        next.md5 = MD5Checkpoint(words: [1, 2, 3, 4], byteCount: 5 << 20)
        #expect(try await store.advanceUpload(next, from: 0, replacingTail: nil))
        #expect(try await store.upload(id: upload.id, userID: userID) == next)
        var loser = upload
        loser.offset = 100
        #expect(try await store.advanceUpload(loser, from: 0, replacingTail: nil) == false)
        #expect(try await store.upload(id: upload.id, userID: userID) == next)

        let later = Date().addingTimeInterval(7200)
        #expect(try await store.expiredUploads(before: later, limit: 1000).contains { $0.id == upload.id })
        #expect(try await !store.expiredUploads(before: Date(), limit: 1000).contains { $0.id == upload.id })

        #expect(try await store.removeUpload(id: upload.id, userID: userID) == next)
        #expect(try await store.removeUpload(id: upload.id, userID: userID) == nil)
        #expect(try await store.upload(id: upload.id, userID: userID) == nil)
        upload.offset = 0
        #expect(try await store.advanceUpload(upload, from: 0, replacingTail: nil) == false)

        try await runTailJournal(store)
    }
}
