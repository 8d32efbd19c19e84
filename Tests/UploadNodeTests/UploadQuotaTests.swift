import CoreStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

@testable import UploadNode

@Suite("per-user storage quota at the upload routes")
struct UploadQuotaTests {
    /// Regular files under the node's object directory (what the object store holds).
    private func storedObjects(_ parts: NodeMain.Parts) -> [String] {
        let root = parts.configuration.dataDirectory + "/objects"
        let walker = FileManager.default.enumerator(atPath: root)
        return (walker?.allObjects as? [String] ?? []).filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
    }

    private func put(
        _ client: some TestClientProtocol, name: String, user: String = "alice", bytes: [UInt8]
    ) async throws -> (HTTPResponse.Status, String) {
        let headers: HTTPFields = [.authorization: TestNode.bearer(user), .contentMD5: MD5Hasher.digest(bytes).base64]
        return try await client.execute(
            uri: "/upload_download_service/\(name)/\(user)", method: .put, headers: headers,
            body: ByteBuffer(bytes: bytes)
        ) { ($0.status, String(buffer: $0.body)) }
    }

    @Test(
        "a PUT whose declared length does not fit gets 413 QUOTA_EXCEEDED; replacing a file counts only the difference")
    func bytesQuotaOnPut() async throws {
        let parts = try await TestNode.parts(role: .upload) {
            $0.upload.userQuota = StorageQuota(maxBytes: 10_000, maxFiles: 0)
        }
        let app = try await makeUploadApp(parts)
        try await app.test(.router) { client in
            #expect(try await put(client, name: "a.bin", bytes: MultipartBody.randomBytes(6_000, seed: 1)).0 == .ok)
            let (status, body) = try await put(client, name: "b.bin", bytes: MultipartBody.randomBytes(5_000, seed: 2))
            #expect(status == .contentTooLarge)
            #expect(body.contains("\"code\":\"QUOTA_EXCEEDED\""), "\(body)")
            #expect(body.contains("6000 of 10000 bytes"), "the message says where the user stands: \(body)")
            #expect(
                try await put(client, name: "b.bin", user: "bob", bytes: MultipartBody.randomBytes(5_000, seed: 2)).0
                    == .ok,
                "another user has their own quota")
            #expect(
                try await put(client, name: "a.bin", bytes: MultipartBody.randomBytes(9_000, seed: 3)).0 == .ok,
                "replacing a.bin frees its 6000 bytes first: 9000 fits")
        }
        let alice = try UserID(validating: "alice")
        #expect(try await parts.backends.metadata.record(userID: alice, fileName: FileName(validating: "b.bin")) == nil)
        #expect(
            try await parts.backends.metadata.usage(userID: alice, excluding: nil)
                == StorageUsage(bytes: 9_000, files: 1))
        #expect(
            storedObjects(parts).count == 2, "alice's a.bin and bob's b.bin are stored; the refused file left no object"
        )
    }

    @Test("with Expect: 100-continue the quota refusal comes before the body is asked for")
    func refusedBeforeTheBody() async throws {
        let parts = try await TestNode.parts(role: .upload) {
            $0.upload.userQuota = StorageQuota(maxBytes: 1_000_000, maxFiles: 0)
        }
        let app = try await makeUploadApp(parts)
        let bytes = MultipartBody.randomBytes(2_000_000, seed: 9)
        let path = IntegrationEnvironment.temporaryDirectory("quota") + "/big.bin"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        try await app.test(.live) { client in
            let result = try await CurlCommand.run([
                "-H", "Authorization: \(TestNode.bearer("alice"))", "-H",
                "Content-MD5: \(MD5Hasher.digest(bytes).base64)",
                "-H", "Expect: 100-continue", "--expect100-timeout", "20", "-T", path,
                "http://127.0.0.1:\(client.port!)/upload_download_service/big.bin/alice",
            ])
            #expect(result.status == 413)
            #expect(result.body.contains("QUOTA_EXCEEDED"))
            #expect(!result.headers.contains("100 Continue"), "refused from the headers alone")
        }
    }

    @Test("a multipart upload (name in the body) over the quota is refused at the commit and leaves no object")
    func bytesQuotaOnForm() async throws {
        let parts = try await TestNode.parts(role: .upload) {
            $0.upload.userQuota = StorageQuota(maxBytes: 10_000, maxFiles: 0)
        }
        let app = try await makeUploadApp(parts)
        try await app.test(.router) { client in
            #expect(try await put(client, name: "a.bin", bytes: MultipartBody.randomBytes(6_000, seed: 1)).0 == .ok)
            let file = MultipartBody.randomBytes(5_000, seed: 4)
            let form = MultipartBody.make(fileName: "form.bin", file: file, md5: MD5Hasher.digest(file).hex)
            let headers: HTTPFields = [
                .authorization: TestNode.bearer("alice"), .contentType: MultipartBody.contentType,
            ]
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: headers, body: form
            ) {
                #expect($0.status == .contentTooLarge)
                #expect(String(buffer: $0.body).contains("QUOTA_EXCEEDED"))
            }
        }
        let alice = try UserID(validating: "alice")
        #expect(
            try await parts.backends.metadata.record(userID: alice, fileName: FileName(validating: "form.bin")) == nil)
        #expect(storedObjects(parts).count == 1, "only a.bin's object: the refused upload's object was deleted")
        let spool = parts.configuration.dataDirectory + "/spool"
        #expect(SpoolListing.uploadEntries(in: spool).isEmpty)
    }

    @Test("the file-count quota refuses a new name and accepts a replacement")
    func filesQuota() async throws {
        let parts = try await TestNode.parts(role: .upload) {
            $0.upload.userQuota = StorageQuota(maxBytes: 0, maxFiles: 1)
        }
        let app = try await makeUploadApp(parts)
        try await app.test(.live) { client in
            #expect(try await put(client, name: "only.bin", bytes: [1, 2, 3]).0 == .ok)
            let (status, body) = try await put(client, name: "second.bin", bytes: [4, 5, 6])
            #expect(status == .contentTooLarge)
            #expect(body.contains("1 of 1 files"), "\(body)")
            #expect(try await put(client, name: "only.bin", bytes: [7, 8, 9, 10]).0 == .ok)
        }
    }
}
