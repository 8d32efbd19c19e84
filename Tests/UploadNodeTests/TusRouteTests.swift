import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NodeHTTP
import TestSupport
import Testing

@testable import UploadNode

/// tus 1.0 on embedded backends: the state machine, the codes, and two nodes sharing the stores.
@Suite("tus resumable upload routes", .serialized)
struct TusRouteTests {
    static let base = "/upload_download_service/uploads"
    static let tusResumable = HTTPField.Name("Tus-Resumable")!
    static let uploadOffset = HTTPField.Name("Upload-Offset")!
    static let uploadLength = HTTPField.Name("Upload-Length")!
    static let uploadMetadata = HTTPField.Name("Upload-Metadata")!
    static let uploadChecksum = HTTPField.Name("Upload-Checksum")!

    /// Made once: the suite's tests share it (a debug-build loop over 12 MiB costs the cooperative pool).
    static let sharedFile = MultipartBody.randomBytes(12 * 1024 * 1024 + 123, seed: 7)
    var file: [UInt8] { Self.sharedFile }

    static func creation(
        user: String = "alice", name: String = "big.bin", length: Int, md5: ContentDigest
    ) -> HTTPFields {
        let metadata =
            "filename \(Data(name.utf8).base64EncodedString()),md5 \(Data(md5.hex.utf8).base64EncodedString())"
        return [
            .authorization: TestNode.bearer(user), tusResumable: "1.0.0", uploadLength: String(length),
            uploadMetadata: metadata,
        ]
    }

    static func patch(user: String = "alice", offset: Int) -> HTTPFields {
        [
            .authorization: TestNode.bearer(user), tusResumable: "1.0.0", uploadOffset: String(offset),
            .contentType: "application/offset+octet-stream",
        ]
    }

    static func head(user: String = "alice") -> HTTPFields {
        [.authorization: TestNode.bearer(user), tusResumable: "1.0.0"]
    }

    /// Creates an upload and returns its path.
    static func create(
        _ client: some TestClientProtocol, user: String = "alice", name: String = "big.bin", bytes: [UInt8]
    ) async throws -> String {
        try await client.execute(
            uri: base, method: .post,
            headers: creation(user: user, name: name, length: bytes.count, md5: MD5Hasher.digest(bytes))
        ) { response in
            #expect(response.status == .created)
            #expect(response.headers[tusResumable] == "1.0.0")
            #expect(response.headers[HTTPField.Name("Upload-Expires")!] != nil)
            return try #require(response.headers[.location])
        }
    }

    /// PATCHes `bytes[from..<to]` and returns the new offset.
    static func send(
        _ client: some TestClientProtocol, _ location: String, _ bytes: [UInt8], from: Int, to: Int,
        user: String = "alice"
    ) async throws -> Int? {
        try await client.execute(
            uri: location, method: .patch, headers: patch(user: user, offset: from),
            body: ByteBuffer(bytes: bytes[from..<to])
        ) { response in
            #expect(response.status == .noContent, "\(String(buffer: response.body))")
            return response.headers[uploadOffset].flatMap(Int.init)
        }
    }

    static func offset(_ client: some TestClientProtocol, _ location: String, user: String = "alice") async throws -> (
        HTTPResponse.Status, Int?
    ) {
        try await client.execute(uri: location, method: .head, headers: head(user: user)) { response in
            if response.status == .ok {
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[uploadLength] != nil)
            }
            return (response.status, response.headers[uploadOffset].flatMap(Int.init))
        }
    }

    static func storedBytes(_ parts: NodeMain.Parts, user: String = "alice", name: String = "big.bin") async throws
        -> [UInt8]?
    {
        guard
            let record = try await parts.backends.metadata.record(
                userID: UserID(validating: user), fileName: FileName(validating: name))
        else { return nil }
        let path = IntegrationEnvironment.temporaryDirectory("copy") + "/file"
        _ = try await parts.backends.objectStore.getObject(key: record.objectKey, range: nil, toFile: path)
        return Array(FileManager.default.contents(atPath: path) ?? Data())
    }

    @Test("OPTIONS names the version, extensions, maximum size and checksum algorithms")
    func discovery() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        try await app.test(.router) { client in
            try await client.execute(uri: Self.base, method: .options) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[HTTPField.Name("Tus-Version")!] == "1.0.0")
                #expect(response.headers[HTTPField.Name("Tus-Extension")!]?.contains("creation-with-upload") == true)
                #expect(response.headers[HTTPField.Name("Tus-Max-Size")!] == String(parts.configuration.maxUploadBytes))
                #expect(response.headers[HTTPField.Name("Tus-Checksum-Algorithm")!] == "md5,sha1")
            }
        }
    }

    @Test("CORS: a preflight allows PATCH and the tus headers; answers expose Upload-Offset and Location")
    func cors() async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.corsAllowedOrigins = ["https://app.example"] }
        let app = try await makeUploadApp(parts)
        try await app.test(.router) { client in
            try await client.execute(
                uri: Self.base + "/alice/" + String(repeating: "a", count: 32), method: .options,
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "PATCH"]
            ) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
                #expect(response.headers[.accessControlAllowHeaders]?.contains("Upload-Offset") == true)
                #expect(response.headers[.accessControlAllowHeaders]?.contains("Tus-Resumable") == true)
            }
            var headers = Self.creation(length: 10, md5: MD5Hasher.digest(Array(file.prefix(10))))
            headers[.origin] = "https://app.example"
            try await client.execute(uri: Self.base, method: .post, headers: headers) { response in
                #expect(response.status == .created)
                let exposed = response.headers[.accessControlExposeHeaders] ?? ""
                #expect(exposed.contains("Location") && exposed.contains("Upload-Offset"), "\(exposed)")
            }
        }
    }

    @Test("chunks of 3 MiB (not a multiple of the part size) advance the offset exactly and commit the file")
    func unalignedChunks() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let file = self.file
        try await app.test(.live) { client in
            let location = try await Self.create(client, bytes: file)
            #expect(try await Self.offset(client, location) == (.ok, 0))
            var offset = 0
            while offset < file.count {
                let end = min(offset + 3 * 1024 * 1024, file.count)
                #expect(try await Self.send(client, location, file, from: offset, to: end) == end)
                offset = end
                if offset < file.count { #expect(try await Self.offset(client, location) == (.ok, offset)) }
            }
            #expect(try await Self.offset(client, location).0 == .notFound)  // finished: the state is gone
        }
        #expect(try await Self.storedBytes(parts) == file)
        let record = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "big.bin"))
        #expect(record?.md5 == MD5Hasher.digest(file))
        #expect(record?.size == Int64(file.count))
        let objects = parts.configuration.dataDirectory + "/objects"
        let left = FileManager.default.enumerator(atPath: objects)?.compactMap { $0 as? String } ?? []
        #expect(!left.contains { $0.contains(".tail.") }, "tail objects deleted: \(left)")
        #expect(!left.contains { $0.hasPrefix(".parts/") }, "part files assembled and removed: \(left)")
    }

    @Test("creation-with-upload of a small file commits it at once")
    func creationWithUpload() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let small = Array(file.prefix(100_000))
        try await app.test(.live) { client in
            var headers = Self.creation(name: "small.bin", length: small.count, md5: MD5Hasher.digest(small))
            headers[.contentType] = "application/offset+octet-stream"
            try await client.execute(uri: Self.base, method: .post, headers: headers, body: ByteBuffer(bytes: small)) {
                response in
                #expect(response.status == .created)
                #expect(response.headers[Self.uploadOffset] == "100000")
            }
        }
        #expect(try await Self.storedBytes(parts, name: "small.bin") == small)
    }

    @Test(
        "bad input: 412 without Tus-Resumable, 409 wrong offset, 460 wrong checksum, 415, 413 past the length, 403 other user"
    )
    func badInput() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let chunk = Array(file.prefix(1000))
        try await app.test(.router) { client in  // a live connection closes after a body it did not read
            let location = try await Self.create(client, bytes: file)
            var noVersion = Self.patch(offset: 0)
            noVersion[Self.tusResumable] = nil
            try await client.execute(uri: location, method: .patch, headers: noVersion, body: ByteBuffer(bytes: chunk))
            {
                #expect($0.status == .preconditionFailed)
                #expect($0.headers[HTTPField.Name("Tus-Version")!] == "1.0.0")
                #expect(String(buffer: $0.body).contains("UNSUPPORTED_PROTOCOL_VERSION"))
            }
            try await client.execute(
                uri: location, method: .patch, headers: Self.patch(offset: 10), body: ByteBuffer(bytes: chunk)
            ) {
                #expect($0.status == .conflict)
                #expect(String(buffer: $0.body).contains("UPLOAD_OFFSET_MISMATCH"))
            }
            var badSum = Self.patch(offset: 0)
            badSum[Self.uploadChecksum] = "sha1 " + Data(repeating: 1, count: 20).base64EncodedString()
            try await client.execute(uri: location, method: .patch, headers: badSum, body: ByteBuffer(bytes: chunk)) {
                #expect($0.status.code == 460)
            }
            #expect(try await Self.offset(client, location) == (.ok, 0))  // the chunk was discarded
            var goodSum = Self.patch(offset: 0)
            goodSum[Self.uploadChecksum] = "md5 " + MD5Hasher.digest(chunk).base64
            try await client.execute(uri: location, method: .patch, headers: goodSum, body: ByteBuffer(bytes: chunk)) {
                #expect($0.status == .noContent)
                #expect($0.headers[Self.uploadOffset] == "1000")
            }
            var wrongType = Self.patch(offset: 1000)
            wrongType[.contentType] = "application/octet-stream"
            try await client.execute(uri: location, method: .patch, headers: wrongType, body: ByteBuffer(bytes: chunk))
            {
                #expect($0.status == .unsupportedMediaType)
            }
            let tooMuch = ByteBuffer(bytes: [UInt8](repeating: 0, count: file.count))  // 1000 + this > Upload-Length
            try await client.execute(uri: location, method: .patch, headers: Self.patch(offset: 1000), body: tooMuch) {
                #expect($0.status == .contentTooLarge)
            }
            try await client.execute(
                uri: location, method: .patch, headers: Self.patch(user: "mallory", offset: 1000),
                body: ByteBuffer(bytes: chunk)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(uri: location, method: .head, headers: Self.head(user: "mallory")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: location, method: .delete, headers: Self.head(user: "mallory")) {
                #expect($0.status == .forbidden)
            }
            #expect(try await Self.offset(client, location) == (.ok, 1000))
            try await client.execute(uri: location, method: .head, headers: [Self.tusResumable: "1.0.0"]) {
                #expect($0.status == .forbidden)  // no token
            }
        }
        #expect(try await Self.storedBytes(parts) == nil)
    }

    @Test("creation rules: 413 over maxUploadBytes, 400 for a bad name or a missing md5")
    func creationRules() async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.maxUploadBytes = 10_000_000 }
        let app = try await makeUploadApp(parts)
        let digest = MD5Hasher.digest(file)
        try await app.test(.router) { client in
            try await client.execute(
                uri: Self.base, method: .post, headers: Self.creation(length: 10_000_001, md5: digest)
            ) { #expect($0.status == .contentTooLarge) }
            try await client.execute(
                uri: Self.base, method: .post, headers: Self.creation(name: "..", length: 10, md5: digest)
            ) { #expect($0.status == .badRequest) }
            var noMD5 = Self.creation(length: 10, md5: digest)
            noMD5[Self.uploadMetadata] = "filename " + Data("a.bin".utf8).base64EncodedString()
            try await client.execute(uri: Self.base, method: .post, headers: noMD5) {
                #expect($0.status == .badRequest)
                #expect(String(buffer: $0.body).contains("MISSING_CHECKSUM"))
            }
        }
    }

    @Test("a whole-file MD5 mismatch answers 409 with the seed's message and leaves nothing")
    func wholeFileMismatch() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        var damaged = file
        damaged[6_000_000] ^= 0xFF
        let corrupted = damaged
        let file = self.file
        try await app.test(.live) { client in
            let location = try await client.execute(
                uri: Self.base, method: .post, headers: Self.creation(length: file.count, md5: MD5Hasher.digest(file))
            ) { try #require($0.headers[.location]) }
            #expect(try await Self.send(client, location, corrupted, from: 0, to: 5 * 1024 * 1024) == 5 * 1024 * 1024)
            try await client.execute(
                uri: location, method: .patch, headers: Self.patch(offset: 5 * 1024 * 1024),
                body: ByteBuffer(bytes: corrupted[(5 * 1024 * 1024)...])
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("checksum failed - please attempt reuploading"))
            }
            #expect(try await Self.offset(client, location).0 == .notFound)
        }
        #expect(try await Self.storedBytes(parts) == nil)
        #expect(pendingParts(parts).isEmpty)
    }

    @Test(
        "the whole file in one PATCH is hashed as it streams in: a mismatch answers 409 and leaves nothing; the right bytes commit"
    )
    func wholeFileInOnePatch() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let file = self.file
        var damaged = file
        damaged[file.count - 1] ^= 0xFF
        let corrupted = damaged
        try await app.test(.live) { client in
            for (bytes, status) in [(corrupted, HTTPResponse.Status.conflict), (file, .noContent)] {
                let location = try await client.execute(
                    uri: Self.base, method: .post,
                    headers: Self.creation(length: file.count, md5: MD5Hasher.digest(file))
                ) { try #require($0.headers[.location]) }
                try await client.execute(
                    uri: location, method: .patch, headers: Self.patch(offset: 0), body: ByteBuffer(bytes: bytes)
                ) { response in
                    #expect(response.status == status)
                    if status == .conflict {
                        #expect(String(buffer: response.body).contains("checksum failed - please attempt reuploading"))
                    }
                }
                if status == .conflict {
                    #expect(try await Self.offset(client, location).0 == .notFound)
                    #expect(try await Self.storedBytes(parts) == nil)
                }
            }
        }
        #expect(try await Self.storedBytes(parts) == file)
        #expect(pendingParts(parts).isEmpty)
    }

    @Test(
        "storage quota: 413 QUOTA_EXCEEDED at creation; at completion when other files took the room, and nothing stays"
    )
    func quota() async throws {
        let parts = try await TestNode.parts(role: .upload) {
            $0.upload.userQuota = StorageQuota(maxBytes: 16 * 1024 * 1024, maxFiles: 0)
        }
        let app = try await makeUploadApp(parts)
        let file = self.file  // 12 MiB + 123
        let filler = MultipartBody.randomBytes(6 * 1024 * 1024, seed: 3)
        try await app.test(.live) { client in
            try await client.execute(
                uri: Self.base, method: .post,
                headers: Self.creation(name: "huge.bin", length: 17 * 1024 * 1024, md5: MD5Hasher.digest(file))
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("QUOTA_EXCEEDED"))
            }
            let location = try await Self.create(client, bytes: file)  // fits now: 12 MiB of 16
            #expect(try await Self.send(client, location, file, from: 0, to: 5 * 1024 * 1024) == 5 * 1024 * 1024)
            let headers: HTTPFields = [
                .authorization: TestNode.bearer("alice"), .contentMD5: MD5Hasher.digest(filler).base64,
            ]
            try await client.execute(
                uri: "/upload_download_service/filler.bin/alice", method: .put, headers: headers,
                body: ByteBuffer(bytes: filler)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: location, method: .patch, headers: Self.patch(offset: 5 * 1024 * 1024),
                body: ByteBuffer(bytes: file[(5 * 1024 * 1024)...])
            ) { response in
                #expect(response.status == .contentTooLarge, "6 MiB + 12 MiB > 16 MiB at the commit")
                #expect(String(buffer: response.body).contains("QUOTA_EXCEEDED"))
            }
            #expect(try await Self.offset(client, location).0 == .notFound, "the refused upload is gone")
        }
        #expect(try await Self.storedBytes(parts) == nil)
        #expect(pendingParts(parts).isEmpty)
        let alice = try UserID(validating: "alice")
        #expect(
            try await parts.backends.metadata.usage(userID: alice, excluding: nil)
                == StorageUsage(bytes: 6 * 1024 * 1024, files: 1))
        let root = parts.configuration.dataDirectory + "/objects"
        let objects = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { path in
            var isDirectory: ObjCBool = false
            return !path.hasPrefix(".")
                && FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
        #expect(
            objects.count == 1,
            "only filler.bin's object; the refused upload's assembled object was deleted: \(objects)")
    }

    @Test("termination removes the upload; an expired upload answers 410 and the sweeper removes it")
    func terminationAndExpiry() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let router = NodeApplication.makeRouter(
            configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
        let services = try await UploadNode.setUp(router: router, parts: parts)
        let app = try NodeApplication.makeApplication(
            router: router, configuration: parts.configuration, services: services, logger: parts.logger)
        let sweeper = try #require(services.compactMap { $0 as? UploadSweeper }.first)
        let expiringParts = try await TestNode.parts(role: .upload, dataDirectory: parts.configuration.dataDirectory) {
            $0.upload.resumableExpirySeconds = 0
        }
        let expiring = try await makeUploadApp(expiringParts)
        let file = self.file
        let expiredLocation = try await expiring.test(.live) { client in
            let location = try await Self.create(client, name: "old.bin", bytes: file)
            try await client.execute(
                uri: location, method: .patch, headers: Self.patch(offset: 0), body: ByteBuffer(bytes: file[0..<1000])
            ) { #expect($0.status == .gone) }
            #expect(try await Self.offset(client, location).0 == .gone)
            return location
        }
        try await app.test(.live) { client in
            let location = try await Self.create(client, bytes: file)
            #expect(try await Self.send(client, location, file, from: 0, to: 6 * 1024 * 1024) == 6 * 1024 * 1024)
            try await client.execute(uri: location, method: .delete, headers: Self.head()) {
                #expect($0.status == .noContent)
            }
            #expect(try await Self.offset(client, location).0 == .notFound)

            await sweeper.sweepOnce()  // (the sweeper's first pass at start-up may have been first)
            #expect(try await Self.offset(client, expiredLocation).0 == .notFound)
        }
        #expect(pendingParts(parts).isEmpty)
    }

    @Test(
        "two nodes over one metadata file and one object directory: started on one, resumed and finished on the other")
    func twoNodes() async throws {
        let (first, _, nodeA, nodeB) = try await twoUploadNodes()
        let file = self.file
        let chunk = 5 * 1024 * 1024
        let location = try await nodeA.test(.live) { client in
            let location = try await Self.create(client, bytes: file)
            #expect(try await Self.send(client, location, file, from: 0, to: chunk) == chunk)
            #expect(try await Self.send(client, location, file, from: chunk, to: chunk + 1000) == chunk + 1000)
            return location
        }
        try await nodeB.test(.router) { client in
            #expect(try await Self.offset(client, location) == (.ok, chunk + 1000))
            try await client.execute(
                uri: location, method: .patch, headers: Self.patch(offset: chunk),
                body: ByteBuffer(bytes: file[chunk...])
            ) { #expect($0.status == .conflict) }
        }
        let end = try await nodeB.test(.live) { client in
            try await Self.send(client, location, file, from: chunk + 1000, to: file.count)
        }
        #expect(end == file.count)
        #expect(try await Self.storedBytes(first) == file)
    }

    @Test("concurrent PATCHes at one offset on two nodes: one 204, one 409; the upload stays consistent and completes")
    func concurrentPatches() async throws {
        let (first, _, nodeA, nodeB) = try await twoUploadNodes()
        let file = self.file
        let chunk = 5 * 1024 * 1024
        var garbage = Array(file[0..<chunk])
        for index in stride(from: 0, to: chunk, by: 4096) { garbage[index] ^= 0x5A }
        let other = garbage
        let location = try await nodeA.test(.router) { client in try await Self.create(client, bytes: file) }
        func patch(_ app: some ApplicationProtocol, _ body: [UInt8]) async throws -> HTTPResponse.Status {
            try await app.test(.router) { client in
                try await client.execute(
                    uri: location, method: .patch, headers: Self.patch(offset: 0), body: ByteBuffer(bytes: body)
                ) { $0.status }
            }
        }
        async let statusA = patch(nodeA, Array(file[0..<chunk]))
        async let statusB = patch(nodeB, other)
        let statuses = try await [statusA, statusB]
        #expect(statuses.filter { $0 == .noContent }.count == 1, "\(statuses)")
        #expect(statuses.filter { $0 == .conflict }.count == 1, "\(statuses)")
        let correctWon = statuses[0] == .noContent
        let finalStatus = try await nodeB.test(.router) { client in
            #expect(try await Self.offset(client, location) == (.ok, chunk))
            return try await client.execute(
                uri: location, method: .patch, headers: Self.patch(offset: chunk),
                body: ByteBuffer(bytes: file[chunk...])
            ) { $0.status }
        }
        // The winner's bytes are what the upload holds: the right ones complete it, the others fail
        // the whole-file MD5 and nothing is committed.
        #expect(finalStatus == (correctWon ? .noContent : .conflict))
        #expect(try await Self.storedBytes(first) == (correctWon ? file : nil))
    }
}
