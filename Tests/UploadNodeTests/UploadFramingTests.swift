import CoreStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

@testable import UploadNode

/// Malformed chunked bodies and unsupported transfer codings on both upload routes, over a raw socket.
@Suite("upload routes: request framing")
struct UploadFramingTests {
    static let md5 = MD5Hasher.digest(Array("abc".utf8))

    /// The head of a PUT or a multipart POST of `abc` with `Transfer-Encoding: coding`.
    static func head(_ route: String, coding: String) -> String {
        let common =
            "Host: a\r\nAuthorization: \(TestNode.bearer("alice"))\r\nTransfer-Encoding: \(coding)\r\nX-Request-Id: up-1\r\n"
        return route == "PUT"
            ? "PUT /upload_download_service/f.bin/alice HTTP/1.1\r\n\(common)Content-MD5: \(md5.base64)\r\n\r\n"
            : "POST /upload_download_service/upload HTTP/1.1\r\n\(common)Content-Type: \(MultipartBody.contentType)\r\n\r\n"
    }

    func expectRejected(_ exchange: RawHTTPExchange, status: Int, code: String, _ label: String) throws {
        let response = try #require(exchange.responses.first, "\(label)")
        #expect(response.status == status, "\(label): \(response.text)")
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
        #expect(json?["code"] == code, "\(label): \(response.text)")
        #expect(response.header("x-request-id") == "up-1", "\(label)")
        #expect(response.header("connection") == "close", "\(label)")
        #expect(exchange.closedByServer, "\(label): the connection must be closed")
    }

    @Test(
        "bad chunk size or short chunk: 400 BAD_REQUEST and closed, on PUT and multipart POST",
        arguments: ["PUT", "POST"])
    func malformedChunked(_ route: String) async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        try await app.test(.live) { client in
            for (label, body) in [("bad size", "zz\r\nabc\r\n0\r\n\r\n"), ("short chunk", "5\r\nabc\r\n0\r\n\r\n")] {
                let exchange = await RawHTTP.exchange(
                    port: client.port!, request: Self.head(route, coding: "chunked") + body)
                try expectRejected(exchange, status: 400, code: "BAD_REQUEST", "\(route) \(label)")
            }
        }
        let record = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "f.bin"))
        #expect(record == nil)
    }

    @Test(
        "an unknown or stacked transfer coding: 501 NOT_IMPLEMENTED and closed, on PUT and multipart POST",
        arguments: ["PUT", "POST"], ["xchunked", "identity", "gzip, chunked"])
    func unknownCoding(_ route: String, _ coding: String) async throws {
        let parts = try await TestNode.parts(role: .upload)
        let app = try await makeUploadApp(parts)
        try await app.test(.live) { client in
            let exchange = await RawHTTP.exchange(
                port: client.port!, request: Self.head(route, coding: coding) + "3\r\nabc\r\n0\r\n\r\n")
            try expectRejected(exchange, status: 501, code: "NOT_IMPLEMENTED", "\(route) \(coding)")
        }
        let record = try await parts.backends.metadata.record(
            userID: UserID(validating: "alice"), fileName: FileName(validating: "f.bin"))
        #expect(record == nil, "nothing is stored undecoded")
    }
}
