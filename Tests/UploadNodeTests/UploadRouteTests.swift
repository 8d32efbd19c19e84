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

@Suite("upload-node routes")
struct UploadRouteTests {
    let file = MultipartBody.randomBytes(5_000_000)
    var md5: ContentDigest { MD5Hasher.digest(file) }

    func formHeaders(user: String = "alice") -> HTTPFields {
        [.authorization: TestNode.bearer(user), .contentType: MultipartBody.contentType]
    }

    @Test("multipart upload with the right md5 returns 200 and commits the file")
    func uploadForm() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let body = MultipartBody.make(fileName: "report.pdf", file: file, md5: md5.hex)
        try await app.test(.live) { client in
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: formHeaders(), body: body
            ) {
                response in
                #expect(response.status == .ok)
                let answer = try JSONDecoder().decode(UploadAnswer.self, from: Data(response.body.readableBytesView))
                #expect(answer.name == "report.pdf")
                #expect(answer.size == 5_000_000)
                #expect(answer.md5 == md5.hex)
                #expect(FileID(answer.fileID) != nil)
            }
        }
        let record = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "report.pdf"))
        #expect(record?.size == 5_000_000)
        #expect(record?.md5 == md5)
        let stored = try await parts.backends.objectStore.headObject(key: record!.objectKey)
        #expect(stored.size == 5_000_000)
    }

    @Test("md5 part may come first; base64 md5 accepted; the Content-MD5 header works too")
    func md5Forms() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let small = Array(file.prefix(100_000))
        let digest = MD5Hasher.digest(small)
        try await app.test(.live) { client in
            let first = MultipartBody.make(fileName: "a.bin", file: small, md5: digest.base64, md5First: true)
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: formHeaders(), body: first
            ) {
                #expect($0.status == .ok)
            }
            var headers = formHeaders()
            headers[.contentMD5] = digest.base64
            let noPart = MultipartBody.make(fileName: "b.bin", file: small, md5: nil)
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: headers, body: noPart
            ) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("wrong md5 returns 409 with the seed message and stores nothing")
    func checksumMismatch() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let wrong = MD5Hasher.digest([1, 2, 3]).hex
        try await app.test(.live) { client in
            let body = MultipartBody.make(fileName: "report.pdf", file: file, md5: wrong)
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: formHeaders(), body: body
            ) {
                response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("checksum failed - please attempt reuploading"))
                #expect(String(buffer: response.body).contains("CHECKSUM_MISMATCH"))
            }
        }
        let record = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "report.pdf"))
        #expect(record == nil)
        #expect(Self.files(under: parts.configuration.dataDirectory + "/objects").isEmpty)
        #expect(SpoolListing.uploadEntries(in: parts.configuration.dataDirectory + "/spool").isEmpty)
    }

    @Test(
        "bad requests get their documented 4xx JSON error and the node keeps serving",
        arguments: [
            ("no token", "", 403, "client credentials invalid"),
            ("garbage token", "Bearer abc.def.ghi", 403, "client credentials invalid"),
            (
                "expired token",
                "Bearer " + TestNode.token(for: "alice", ttl: 600, issuedAt: Date().addingTimeInterval(-7200)), 403,
                "client credentials invalid"
            ),
            ("basic auth", "Basic YWxpY2U6c2VjcmV0", 403, "client credentials invalid"),
        ])
    func authFailures(_ label: String, _ authorization: String, _ status: Int, _ message: String) async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        try await app.test(.live) { client in
            var headers: HTTPFields = [.contentType: MultipartBody.contentType]
            if !authorization.isEmpty { headers[.authorization] = authorization }
            let body = MultipartBody.make(fileName: "x.txt", file: [1, 2, 3], md5: MD5Hasher.digest([1, 2, 3]).hex)
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: headers, body: body
            ) {
                #expect(Int($0.status.code) == status, "\(label)")
                #expect(String(buffer: $0.body).contains(message), "\(label)")
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("a token signed with another secret is rejected")
    func wrongSignature() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let forged = HMACTokenVerifier.issue(
            userID: try UserID(validating: "alice"), ttl: 3600, secret: Array(repeating: 7, count: 32))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/upload_download_service/a.txt/alice", method: .put,
                headers: [.authorization: "Bearer \(forged)", .contentMD5: MD5Hasher.digest([1]).base64],
                body: ByteBuffer(bytes: [1])
            ) { #expect($0.status == .forbidden) }
        }
    }

    @Test(
        "malformed uploads are 400",
        arguments: [
            ("dotdot", "..", "md5ok", 400, "INVALID_FILE_NAME"),
            ("slash", "a%2Fb", "md5ok", 400, "INVALID_FILE_NAME"),
            ("nul", "a%00b", "md5ok", 400, "INVALID_FILE_NAME"),
            ("control", "a%01b", "md5ok", 400, "INVALID_FILE_NAME"),
            ("long", String(repeating: "x", count: 256), "md5ok", 400, "INVALID_FILE_NAME"),
            ("md5 short", "ok.txt", "abc", 400, "INVALID_CHECKSUM"),
            ("md5 not hex", "ok.txt", String(repeating: "z", count: 32), 400, "INVALID_CHECKSUM"),
            ("md5 missing", "ok.txt", "", 400, "MISSING_CHECKSUM"),
        ])
    func rawBadInput(_ label: String, _ name: String, _ md5Header: String, _ status: Int, _ code: String)
        async throws
    {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let bytes: [UInt8] = Array("hello".utf8)
        try await app.test(.router) { client in
            var headers: HTTPFields = [.authorization: TestNode.bearer("alice")]
            if md5Header == "md5ok" {
                headers[.contentMD5] = MD5Hasher.digest(bytes).base64
            } else if !md5Header.isEmpty {
                headers[.contentMD5] = md5Header
            }
            try await client.execute(
                uri: "/upload_download_service/\(name)/alice", method: .put, headers: headers,
                body: ByteBuffer(bytes: bytes)
            ) {
                #expect(Int($0.status.code) == status, "\(label)")
                #expect(String(buffer: $0.body).contains(code), "\(label): \(String(buffer: $0.body))")
            }
        }
        #expect(Self.files(under: parts.configuration.dataDirectory + "/objects").isEmpty)
    }

    @Test("another user's uid is 403; unknown file delete is 404; delete removes the file")
    func ownershipAndDelete() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let bytes: [UInt8] = Array("hello".utf8)
        let md5 = MD5Hasher.digest(bytes).base64
        try await app.test(.router) { client in
            let alice: HTTPFields = [.authorization: TestNode.bearer("alice"), .contentMD5: md5]
            try await client.execute(
                uri: "/upload_download_service/a.txt/bob", method: .put, headers: alice, body: ByteBuffer(bytes: bytes)
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/upload_download_service/a.txt/alice", method: .put, headers: alice,
                body: ByteBuffer(bytes: bytes)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/upload_download_service/a.txt/alice", method: .delete,
                headers: [.authorization: TestNode.bearer("bob")]
            ) { #expect($0.status == .forbidden) }
            try await client.execute(
                uri: "/upload_download_service/missing.txt/alice", method: .delete,
                headers: [.authorization: TestNode.bearer("alice")]
            ) { #expect($0.status == .notFound) }
            try await client.execute(
                uri: "/upload_download_service/a.txt/alice", method: .delete,
                headers: [.authorization: TestNode.bearer("alice")]
            ) { #expect($0.status == .noContent) }
        }
        let record = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "a.txt"))
        #expect(record == nil)
        #expect(Self.files(under: parts.configuration.dataDirectory + "/objects").isEmpty)
    }

    @Test("re-uploading a name switches to a new file_id and deletes the old object")
    func replace() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        try await app.test(.live) { client in
            for content in ["first version", "second version"] {
                let bytes = Array(content.utf8)
                try await client.execute(
                    uri: "/upload_download_service/doc.txt/alice", method: .put,
                    headers: [.authorization: TestNode.bearer("alice"), .contentMD5: MD5Hasher.digest(bytes).base64],
                    body: ByteBuffer(bytes: bytes)
                ) { #expect($0.status == .ok) }
            }
        }
        let record = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "doc.txt"))
        #expect(record?.size == Int64("second version".utf8.count))
        #expect(Self.files(under: parts.configuration.dataDirectory + "/objects").count == 1)
    }

    @Test("multipart without a file part is 400; garbage multipart is 400")
    func badMultipart() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        try await app.test(.router) { client in
            let noFile = MultipartBody.make(fileName: nil, file: nil, md5: MD5Hasher.digest([1]).hex)
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: formHeaders(), body: noFile
            ) {
                #expect($0.status == .badRequest)
                #expect(String(buffer: $0.body).contains("MISSING_FILE_PART"))
            }
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: formHeaders(),
                body: ByteBuffer(string: "this is not multipart at all")
            ) {
                #expect($0.status == .badRequest)
                #expect(String(buffer: $0.body).contains("MALFORMED_MULTIPART"))
            }
        }
    }

    @Test("a body over the limit is 413 whether declared or streamed, and nothing is stored")
    func tooLarge() async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.maxUploadBytes = 1000 }
        let app = try await makeUploadApp(parts)
        let bytes = MultipartBody.randomBytes(50_000)
        try await app.test(.live) { client in
            try await client.execute(
                uri: "/upload_download_service/big.bin/alice", method: .put,
                headers: [.authorization: TestNode.bearer("alice"), .contentMD5: MD5Hasher.digest(bytes).base64],
                body: ByteBuffer(bytes: bytes)
            ) {
                #expect($0.status == .contentTooLarge)
                #expect(String(buffer: $0.body).contains("Document file size is too large"))
            }
        }
        let app2 = try await makeUploadApp(parts)
        try await app2.test(.live) { client in
            // multipart: Content-Length within the overhead allowance, file bytes over the limit
            let body = MultipartBody.make(
                fileName: "big.bin", file: Array(bytes.prefix(5000)), md5: MD5Hasher.digest(bytes).hex)
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: formHeaders(), body: body
            ) {
                #expect($0.status == .contentTooLarge)
            }
        }
        #expect(Self.files(under: parts.configuration.dataDirectory + "/objects").isEmpty)
    }

    @Test("a client that goes away in the middle of its body leaves no file and no spool, and the node keeps serving")
    func clientGoneMidBody() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let small = Array(file.prefix(100_000))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let head =
                "PUT /upload_download_service/gone.bin/alice HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: \(TestNode.bearer("alice"))\r\nContent-MD5: \(md5.base64)\r\n"
                + "Content-Length: \(file.count)\r\n\r\n"
            // 200 KB of the 5 MB body, no answer within half a second, then the socket closes.
            let reply = PosixSockets.exchange(port: port, request: Array(head.utf8) + Array(file.prefix(200_000)))
            #expect(reply.isEmpty)
            let spool = parts.configuration.dataDirectory + "/spool"
            #expect(
                await eventually { SpoolListing.uploadEntries(in: spool).isEmpty },
                "the spool file goes with the request")
            let body = MultipartBody.make(fileName: "after.bin", file: small, md5: MD5Hasher.digest(small).hex)
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: formHeaders(), body: body
            ) {
                #expect($0.status == .ok)
            }
        }
        let gone = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "gone.bin"))
        #expect(gone == nil)
        #expect(Self.files(under: parts.configuration.dataDirectory + "/objects").count == 1)
    }

    @Test("spool disk below its free-space watermark: 503 with Retry-After before the body is read")
    func spoolFull() async throws {
        let parts = try await TestNode.parts(role: .upload) { $0.upload.spoolMinFreeBytes = .max }
        let app = try await makeUploadApp(parts)
        try await app.test(.live) { client in
            try await Self.expectUnavailable(client, code: "INSUFFICIENT_STORAGE")
        }
    }

    @Test("metadata database down: 503 with Retry-After, the stored object is removed again, spool cleaned")
    func metadataDown() async throws {
        var faulty: FaultyMetadataStore?
        let parts = try await TestNode.parts(
            role: .upload,
            wrapMetadata: { base in
                let store = FaultyMetadataStore(base)
                faulty = store
                return store
            })
        let app = try await makeUploadApp(parts)
        faulty?.setDown(true)
        try await app.test(.live) { client in
            try await Self.expectUnavailable(client, code: "METADATA_UNAVAILABLE")
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
        }
        #expect(Self.files(under: parts.configuration.dataDirectory + "/objects").isEmpty)
        #expect(SpoolListing.uploadEntries(in: parts.configuration.dataDirectory + "/spool").isEmpty)
    }

    /// PUTs a small file as alice and expects 503 with `Retry-After` and `code`.
    static func expectUnavailable(_ client: some TestClientProtocol, code: String) async throws {
        let bytes: [UInt8] = Array("hello".utf8)
        try await client.execute(
            uri: "/upload_download_service/a.txt/alice", method: .put,
            headers: [.authorization: TestNode.bearer("alice"), .contentMD5: MD5Hasher.digest(bytes).base64],
            body: ByteBuffer(bytes: bytes)
        ) {
            #expect($0.status == .serviceUnavailable)
            #expect($0.headers[.retryAfter] != nil)
            #expect(String(buffer: $0.body).contains(code))
        }
    }

    static func files(under path: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { entry in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path + "/" + entry, isDirectory: &isDirectory)
            return !isDirectory.boolValue && !entry.hasPrefix(".tmp")
        }
    }
}
