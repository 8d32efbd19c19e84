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

/// RFC 9110 §13 `If-Match` / `If-None-Match` on PUT, the multipart POST and DELETE.
@Suite("upload routes: preconditions")
struct UploadPreconditionTests {
    let first = Array("first version".utf8)
    let second = Array("second version".utf8)
    let uri = "/upload_download_service/doc.txt/alice"

    func put(_ bytes: [UInt8], _ extra: HTTPFields = [:]) -> HTTPFields {
        var fields: HTTPFields = [
            .authorization: TestNode.bearer("alice"), .contentMD5: MD5Hasher.digest(bytes).base64,
        ]
        fields.append(contentsOf: extra)
        return fields
    }

    func current(_ parts: NodeMain.Parts) async throws -> FileRecord? {
        try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "doc.txt"))
    }

    static func expectPreconditionFailed(_ response: TestResponse) {
        #expect(response.status == .preconditionFailed)
        #expect(String(buffer: response.body).contains("\"PRECONDITION_FAILED\""))
    }

    @Test("PUT If-None-Match: * creates only: 200 when absent, 412 and unchanged when present")
    func createOnly() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        try await app.test(.router) { client in
            try await client.execute(
                uri: uri, method: .put, headers: put(first, [.ifNoneMatch: "*"]), body: ByteBuffer(bytes: first)
            ) {
                #expect($0.status == .ok)
            }
            for headers in [put(second, [.ifNoneMatch: "*"]), put(first, [.ifNoneMatch: "*"])] {
                try await client.execute(uri: uri, method: .put, headers: headers, body: ByteBuffer(bytes: second)) {
                    Self.expectPreconditionFailed($0)
                }
            }
        }
        #expect(try await current(parts)?.md5 == MD5Hasher.digest(first))
    }

    @Test(
        "PUT If-None-Match: * cannot overwrite a file committed while its body was on its way (checked again at the commit)"
    )
    func createOnlyCheckedAtCommit() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        try await app.test(.live) { client in
            let connection = try #require(RawHTTPConnection.open(port: client.port!))
            await connection.send(
                "PUT \(uri) HTTP/1.1\r\nHost: a\r\nAuthorization: \(TestNode.bearer("alice"))\r\n"
                    + "Content-MD5: \(MD5Hasher.digest(second).base64)\r\nContent-Length: \(second.count)\r\n"
                    + "If-None-Match: *\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
            // 100 Continue: the check before the body passed (no file yet).
            #expect(await connection.read(until: "\r\n\r\n").hasPrefix("HTTP/1.1 100"))
            try await FileSeeder.seed(first, user: "alice", name: "doc.txt", parts: parts)  // another upload commits
            await connection.send(String(decoding: second, as: UTF8.self))
            let exchange = await connection.finish()
            #expect(exchange.responses.map(\.status) == [100, 412])
            #expect(exchange.responses.last?.text.contains("PRECONDITION_FAILED") == true)
        }
        #expect(try await current(parts)?.md5 == MD5Hasher.digest(first))
    }

    @Test("PUT If-Match: the current ETag replaces; another ETag, or no file, is 412")
    func putIfMatch() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let firstTag = "\"\(MD5Hasher.digest(first).hex)\""
        try await app.test(.router) { client in
            try await client.execute(
                uri: uri, method: .put, headers: put(first, [.ifMatch: "*"]), body: ByteBuffer(bytes: first)
            ) {
                Self.expectPreconditionFailed($0)  // If-Match: * needs a current version
            }
            try await client.execute(uri: uri, method: .put, headers: put(first), body: ByteBuffer(bytes: first)) {
                #expect($0.status == .ok)
            }
            try await client.execute(
                uri: uri, method: .put, headers: put(second, [.ifMatch: "\"0000\", W/\(firstTag)"]),
                body: ByteBuffer(bytes: second)
            ) {
                Self.expectPreconditionFailed($0)  // a weak tag never matches If-Match
            }
            #expect(try await current(parts)?.md5 == MD5Hasher.digest(first))
            try await client.execute(
                uri: uri, method: .put, headers: put(second, [.ifMatch: "\"0000\", \(firstTag)"]),
                body: ByteBuffer(bytes: second)
            ) {
                #expect($0.status == .ok)
            }
        }
        #expect(try await current(parts)?.md5 == MD5Hasher.digest(second))
    }

    @Test("multipart POST: If-None-Match: * is checked at the commit (the name is in the body)")
    func formCreateOnly() async throws {
        let parts = try await TestNode.parts(role: .upload)
        try await FileSeeder.seed(first, user: "alice", name: "doc.txt", parts: parts)
        let app = try await makeUploadApp(parts)
        let body = MultipartBody.make(fileName: "doc.txt", file: second, md5: MD5Hasher.digest(second).hex)
        let headers: HTTPFields = [
            .authorization: TestNode.bearer("alice"), .contentType: MultipartBody.contentType, .ifNoneMatch: "*",
        ]
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/upload_download_service/upload", method: .post, headers: headers, body: body
            ) {
                Self.expectPreconditionFailed($0)
            }
        }
        #expect(try await current(parts)?.md5 == MD5Hasher.digest(first))
        let objects = UploadRouteTests.files(under: parts.configuration.dataDirectory + "/objects")
        #expect(objects.count == 1, "the refused upload's object is not left behind: \(objects)")
    }

    @Test("DELETE If-Match: another ETag is 412 and keeps the file; the current one deletes")
    func deleteIfMatch() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let record = try await FileSeeder.seed(first, user: "alice", name: "doc.txt", parts: parts)
        let app = try await makeUploadApp(parts)
        let auth: HTTPFields = [.authorization: TestNode.bearer("alice")]
        try await app.test(.router) { client in
            var headers = auth
            headers[.ifMatch] = "\"0000\""
            try await client.execute(uri: uri, method: .delete, headers: headers) { Self.expectPreconditionFailed($0) }
            headers[.ifMatch] = nil
            headers[.ifNoneMatch] = "\"\(record.md5.hex)\""
            try await client.execute(uri: uri, method: .delete, headers: headers) { Self.expectPreconditionFailed($0) }
            #expect(try await current(parts) != nil)
            headers[.ifNoneMatch] = nil
            headers[.ifMatch] = "\"\(record.md5.hex)\""
            try await client.execute(uri: uri, method: .delete, headers: headers) { #expect($0.status == .noContent) }
        }
        #expect(try await current(parts) == nil)
    }

    @Test("created_at is one value: the upload's answer, an idempotent re-upload's answer, the stored record")
    func createdAtIsStable() async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        let answers = try await app.test(.router) { client in
            var answers: [String] = []
            for _ in 0..<2 {
                let answer = try await client.execute(
                    uri: uri, method: .put, headers: put(first), body: ByteBuffer(bytes: first)
                ) { response -> String in
                    #expect(response.status == .ok)
                    return try JSONDecoder().decode(UploadAnswer.self, from: Data(response.body.readableBytesView))
                        .createdAt
                }
                answers.append(answer)
            }
            return answers
        }
        let stored = try #require(try await current(parts))
        #expect(answers.count == 2)
        #expect(Set(answers) == [ISO8601Timestamp.string(from: stored.createdAt)], "\(answers)")
    }
}
