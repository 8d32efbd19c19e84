import CoreStore
import Foundation
import TestSupport
import Testing

@Suite("resumable upload state and parts on the embedded backends")
struct ResumableStoresTests {
    static func sampleUpload(user: String = "alice", expiresIn: TimeInterval = 3600) throws -> ResumableUpload {
        let userID = try UserID(validating: user)
        let fileID = FileID.generate()
        return ResumableUpload(
            id: ResumableUpload.newID(), userID: userID, fileName: try FileName(validating: "big.bin"),
            length: 12_000_000,
            expectedMD5: MD5Hasher.digest([1, 2, 3]), contentType: "application/octet-stream", fileID: fileID,
            objectKey: ObjectKey(prefix: "files", userID: userID, fileID: fileID), partBytes: 5 << 20,
            createdAt: Date(), expiresAt: Date().addingTimeInterval(expiresIn))
    }

    @Test("SQLite: create, read, optimistic advance, expiry listing, remove")
    func sqliteState() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("resumable")
        let store = try await SQLiteMetadataStore(
            path: directory + "/metadata.sqlite3", pool: TestNode.pool, logger: TestNode.logger)
        try await ResumableStoreContract.run(store)
    }

    @Test("file-system parts: stored, replaced under the same number, assembled by etag, discarded")
    func fileSystemParts() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("parts")
        let store = FileSystemObjectStore(
            rootDirectory: directory + "/objects", pool: TestNode.pool, logger: TestNode.logger)
        let bytes = MultipartBody.randomBytes(300_000)
        let source = directory + "/source"
        FileManager.default.createFile(atPath: source, contents: Data(bytes))
        let key = ObjectKey(rawValue: "files/ab/alice/x.tus")
        let uploadID = try await store.beginParts(key: key, contentType: "application/octet-stream")
        let first = try await store.storePart(
            key: key, uploadID: uploadID, partNumber: 1, fromFile: source, offset: 0, length: 100_000,
            md5: MD5Hasher.digest(Array(bytes[0..<100_000])))
        let stale = try await store.storePart(
            key: key, uploadID: uploadID, partNumber: 2, fromFile: source, offset: 0, length: 100_000,
            md5: MD5Hasher.digest(Array(bytes[0..<100_000])))
        let second = try await store.storePart(
            key: key, uploadID: uploadID, partNumber: 2, fromFile: source, offset: 100_000, length: 200_000,
            md5: MD5Hasher.digest(Array(bytes[100_000...])))
        #expect(stale.etag != second.etag)
        await #expect(throws: CoreStoreError.self) {
            _ = try await store.storePart(
                key: key, uploadID: uploadID, partNumber: 3, fromFile: source, offset: 0, length: 10,
                md5: MD5Hasher.digest([0]))
        }
        try await store.assembleParts(key: key, uploadID: uploadID, parts: [first, second])
        let copy = directory + "/copy"
        #expect(try await store.getObject(key: key, range: nil, toFile: copy) == 300_000)
        #expect(FileManager.default.contents(atPath: copy) == Data(bytes))
        await #expect(throws: CoreStoreError.self) {
            try await store.assembleParts(key: key, uploadID: uploadID, parts: [first, second])
        }
        let other = try await store.beginParts(key: key, contentType: "application/octet-stream")
        try await store.discardParts(key: key, uploadID: other)
        try await store.discardParts(key: key, uploadID: other)
        #expect(!FileManager.default.fileExists(atPath: directory + "/objects/.parts/" + other))
    }
}
