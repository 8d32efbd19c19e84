import CoreStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// A file's content type is a media type of at most 255 bytes, from the `PUT` header or the form's
/// file part; anything else is 400 INVALID_CONTENT_TYPE and nothing is stored.
@Suite("upload content types are validated and bounded")
struct ContentTypeRouteTests {
    static let huge = "application/" + String(repeating: "x", count: 70_000)
    static let tooLong = "application/" + String(repeating: "x", count: 244)  // 256 bytes

    @Test(
        "PUT with an invalid or oversized Content-Type is 400 INVALID_CONTENT_TYPE",
        arguments: [ContentTypeRouteTests.huge, ContentTypeRouteTests.tooLong, "bogus", "text/plain; charset", "a/b c"])
    func rawRejected(_ contentType: String) async throws {
        try await InProcessNodes.run { upload, download in
            let answer = try await InProcessNodes.putAnswer(
                upload, name: "t.txt", uid: "alice", as: "alice", bytes: Array("x".utf8), contentType: contentType)
            #expect(answer.status == 400, "\(contentType.prefix(40))")
            #expect(answer.body.contains("INVALID_CONTENT_TYPE"), "\(answer.body)")
            #expect(answer.body.contains("at most 255 bytes"))
            #expect(try await InProcessNodes.list(download, uid: "alice", as: "alice").names.isEmpty)
        }
    }

    @Test(
        "a form whose file part has an invalid or oversized Content-Type is 400 INVALID_CONTENT_TYPE",
        arguments: ["application/" + String(repeating: "y", count: 10_000), ContentTypeRouteTests.tooLong, "bogus"])
    func formRejected(_ contentType: String) async throws {
        try await InProcessNodes.run { upload, download in
            let answer = try await InProcessNodes.postForm(
                upload, name: "f.txt", as: "alice", bytes: Array("x".utf8), partContentType: contentType)
            #expect(answer.status == 400, "\(contentType.prefix(40))")
            #expect(answer.body.contains("INVALID_CONTENT_TYPE"), "\(answer.body)")
            #expect(try await InProcessNodes.list(download, uid: "alice", as: "alice").names.isEmpty)
        }
    }

    @Test("valid media types (with parameters, 255 bytes) are stored, listed and served as sent")
    func validKept() async throws {
        let longest = "application/" + String(repeating: "z", count: 243)
        let withParameters = "text/plain; charset=\"utf-8\"; format=flowed"
        try await InProcessNodes.run { upload, download in
            let raw = try await InProcessNodes.putAnswer(
                upload, name: "a.txt", uid: "alice", as: "alice", bytes: Array("a".utf8), contentType: withParameters)
            #expect(raw.status == 200, "\(raw.body)")
            let form = try await InProcessNodes.postForm(
                upload, name: "b.bin", as: "alice", bytes: Array("b".utf8), partContentType: longest)
            #expect(form.status == 200, "\(form.body)")
            let listing = try await InProcessNodes.list(download, uid: "alice", as: "alice")
            #expect(Set(listing.contentTypes) == [withParameters, longest])
            let served = try await download.execute(
                uri: "/upload_download_service/a.txt/alice", method: .get,
                headers: [.authorization: TestNode.bearer("alice")]
            ) { $0.headers[.contentType] }
            #expect(served == withParameters)
        }
    }
}
