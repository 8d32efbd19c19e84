import Foundation
import Testing

@testable import CoreStore

@Suite("S3ErrorResponse and S3XML")
struct S3ErrorResponseTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func parsesTheErrorDocument() {
        let body = bytes(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature &amp; so on</Message>
            <Resource>/bkt/k</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>
            """)
        let error = S3ErrorResponse(status: 403, body: body)
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.message == "The request signature & so on")
        #expect(error.requestID == "4442587FB7D0A2F9")
        #expect(error.errorCode == .objectStoreRejected)
        #expect(!error.isRetryable)
    }

    @Test func requestIDFallsBackToTheHeader() {
        let error = S3ErrorResponse(status: 404, body: [], headers: ["x-amz-request-id": "R1"])
        #expect(error.code == nil)
        #expect(error.requestID == "R1")
        #expect(error.errorCode == .objectNotFound)
    }

    @Test(arguments: [
        (404, "NoSuchKey", CoreStoreError.Code.objectNotFound),
        (404, "NoSuchBucket", .objectStoreRejected),
        (404, "NoSuchUpload", .objectStoreRejected),
        (400, "BadDigest", .checksumMismatch),
        (400, "InvalidDigest", .checksumMismatch),
        (416, "InvalidRange", .rangeNotSatisfiable),
        (503, "SlowDown", .objectStoreUnavailable),
        (500, "InternalError", .objectStoreUnavailable),
        (400, "RequestTimeout", .objectStoreUnavailable),
        (200, "InternalError", .objectStoreUnavailable),
        (403, "AccessDenied", .objectStoreRejected),
        (403, "InvalidAccessKeyId", .objectStoreRejected),
        (403, "SignatureDoesNotMatch", .objectStoreRejected),
        (400, "SomethingNew", .objectStoreRejected),
        (502, "SomethingNew", .objectStoreUnavailable),
    ])
    func mapsCodes(status: Int, code: String, expected: CoreStoreError.Code) {
        #expect(S3ErrorResponse(status: status, code: code).errorCode == expected)
    }

    @Test(arguments: [
        (404, CoreStoreError.Code.objectNotFound), (416, .rangeNotSatisfiable), (403, .objectStoreRejected),
        (400, .objectStoreRejected), (500, .objectStoreUnavailable), (502, .objectStoreUnavailable),
        (503, .objectStoreUnavailable), (504, .objectStoreUnavailable), (429, .objectStoreUnavailable),
    ])
    func mapsBodylessStatuses(status: Int, expected: CoreStoreError.Code) {
        #expect(S3ErrorResponse(status: status, body: []).errorCode == expected)
    }

    @Test func toleratedAnswers() {
        #expect(S3ErrorResponse(status: 404, code: "NoSuchUpload").isNoSuchUpload)
        #expect(!S3ErrorResponse(status: 404, code: "NoSuchKey").isNoSuchUpload)
        #expect(S3ErrorResponse(status: 409, code: "BucketAlreadyOwnedByYou").isBucketAlreadyThere)
        #expect(S3ErrorResponse(status: 409, code: "BucketAlreadyExists").isBucketAlreadyThere)
        #expect(!S3ErrorResponse(status: 409, code: "OperationAborted").isBucketAlreadyThere)
    }

    @Test func createMultipartUploadAnswer() {
        let body = bytes(
            """
            <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
            <Bucket>bkt</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE&amp;x</UploadId></InitiateMultipartUploadResult>
            """)
        #expect(S3XML.uploadID(from: body) == "VXBsb2FkIElE&x")
        #expect(S3XML.uploadID(from: bytes("<Error><Code>AccessDenied</Code></Error>")) == nil)
    }

    @Test func completeAnswerETagIsUnescapedAndUnquoted() {
        let numeric = bytes(
            "<CompleteMultipartUploadResult><Location>x</Location><ETag>&#34;3858f62230ac3c915f300c664312c11f-2&#34;</ETag></CompleteMultipartUploadResult>"
        )
        #expect(S3XML.completedETag(from: numeric) == "3858f62230ac3c915f300c664312c11f-2")
        let named = bytes(
            "<CompleteMultipartUploadResult><ETag>&quot;abc-3&quot;</ETag></CompleteMultipartUploadResult>")
        #expect(S3XML.completedETag(from: named) == "abc-3")
        #expect(!S3XML.isError(numeric))
    }

    @Test func completeAnswerCanBeAnErrorInside200() {
        let body = bytes(
            "<?xml version=\"1.0\"?>\n<Error><Code>InternalError</Code><Message>try again</Message></Error>")
        #expect(S3XML.isError(body))
        #expect(S3XML.completedETag(from: body) == nil)
        let error = S3ErrorResponse(status: 200, body: body)
        #expect(error.code == "InternalError")
        #expect(error.isRetryable)
    }

    @Test func listMultipartUploadsPage() throws {
        let body = bytes(
            """
            <ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Bucket>bkt</Bucket><KeyMarker></KeyMarker><UploadIdMarker/>
              <NextKeyMarker>files/b</NextKeyMarker><NextUploadIdMarker>u2</NextUploadIdMarker>
              <MaxUploads>2</MaxUploads><IsTruncated>true</IsTruncated>
              <Upload><Key>files/a</Key><UploadId>u1</UploadId><Initiator><ID>x</ID></Initiator>
                <Initiated>2026-11-30T01:02:03.000Z</Initiated></Upload>
              <Upload><Key>files/b &amp; c</Key><UploadId>u2</UploadId><Initiated>2026-11-30T01:02:04Z</Initiated></Upload>
            </ListMultipartUploadsResult>
            """)
        let page = S3XML.multipartUploadPage(from: body)
        #expect(page.isTruncated)
        #expect(page.nextKeyMarker == "files/b")
        #expect(page.nextUploadIDMarker == "u2")
        #expect(page.uploads.map(\.key.rawValue) == ["files/a", "files/b & c"])
        #expect(page.uploads.map(\.uploadID) == ["u1", "u2"])
        let first = try #require(page.uploads.first)
        #expect(first.initiated == Date(timeIntervalSince1970: 1_796_000_523))
        #expect(page.uploads[1].initiated == Date(timeIntervalSince1970: 1_796_000_524))
    }

    @Test func emptyListPage() {
        let page = S3XML.multipartUploadPage(
            from: bytes("<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>"))
        #expect(page == S3MultipartUploadPage(uploads: [], isTruncated: false))
    }

    @Test func unescapeHandlesEntitiesAndStrayAmpersands() {
        #expect(S3XML.unescape("a &lt;b&gt; &#x41;&#66; &apos;&amp;&quot; & z"[...]) == "a <b> AB '&\" & z")
        #expect(S3XML.escape("a<&>b") == "a&lt;&amp;&gt;b")
    }
}
