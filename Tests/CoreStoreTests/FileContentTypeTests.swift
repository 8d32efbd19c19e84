import Testing

@testable import CoreStore

/// `Content-Type` values: RFC 9110 §8.3.1 media types of at most 255 bytes.
@Suite("FileContentType validation")
struct FileContentTypeTests {
    static let longest = "application/" + String(repeating: "x", count: 255 - 12)

    @Test(arguments: [
        "text/plain", "application/octet-stream", "application/vnd.api+json", "text/plain; charset=utf-8",
        "text/plain;charset=\"utf-8\"", "text/plain;", "text/plain ; a=b ;c=d", "a/b; q=\"with \\\" quote\"",
        "multipart/x;\tboundary=\"a b/c\"", "image/svg+xml;;a=b", "TEXT/PLAIN", FileContentTypeTests.longest,
    ])
    func accepted(_ value: String) throws {
        #expect(try FileContentType(validating: value).rawValue == value)
        #expect(FileContentType.servable(value) == value)
    }

    @Test(arguments: [
        "", "text", "text/", "/plain", "text/plain/x", "text /plain", "text/ plain", "text/plain; charset",
        "text/plain; =x", "text/plain; a=", "text/plain; a=\"open", "text/plain; a=b c", "text/plain, text/html",
        "text/pl\u{E9}in", "text/plain; a=\"\u{E9}\"", "text/plain\u{0}", "text/plain; a=\"\\\u{1}\"",
        "text/plain; a=b\r\n",
        FileContentTypeTests.longest + "x", "application/" + String(repeating: "x", count: 80_000),
    ])
    func rejected(_ value: String) {
        #expect(throws: CoreStoreError(.invalidContentType)) { try FileContentType(validating: value) }
        #expect(FileContentType.servable(value) == "application/octet-stream")
    }

    @Test func theLimitIs255Bytes() {
        #expect(Self.longest.utf8.count == 255)
        #expect(FileContentType.maximumBytes == 255)
    }
}
