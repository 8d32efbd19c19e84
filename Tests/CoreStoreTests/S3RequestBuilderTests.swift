import Testing

@testable import CoreStore

@Suite("S3RequestBuilder")
struct S3RequestBuilderTests {
    let path = S3RequestBuilder(endpoint: "http://127.0.0.1:8333", bucket: "bkt", addressingStyle: .path)
    let virtual = S3RequestBuilder(
        endpoint: "https://s3.eu-west-1.amazonaws.com/", bucket: "bkt", addressingStyle: .virtualHost)
    let md5 = MD5Hasher.digest(Array("hello".utf8))

    private func headers(_ request: S3Request) -> [String] {
        request.headers.map { "\($0.0): \($0.1)" }
    }

    @Test func keysArePercentEncodedExceptSlash() {
        #expect(S3RequestBuilder.encodeKey("a b/ü+%") == "a%20b/%C3%BC%2B%25")
        #expect(S3RequestBuilder.encodeKey("x/y-z_1.2~") == "x/y-z_1.2~")
        #expect(S3RequestBuilder.encodeKey("q?&=#") == "q%3F%26%3D%23")
    }

    @Test func putObjectPathStyle() {
        let request = path.putObject(key: ObjectKey(rawValue: "a b/ü+%"), size: 5, md5: md5, contentType: "text/plain")
        #expect(request.method == "PUT")
        #expect(request.url == "http://127.0.0.1:8333/bkt/a%20b/%C3%BC%2B%25")
        #expect(
            headers(request) == [
                "Content-Length: 5", "Content-MD5: XUFAKrxLKna5cZ2REBfFkg==", "Content-Type: text/plain",
                "x-amz-content-sha256: UNSIGNED-PAYLOAD",
            ])
    }

    @Test func putObjectVirtualHostStyle() {
        let request = virtual.putObject(key: ObjectKey(rawValue: "a b/x"), size: 5, md5: md5, contentType: "text/plain")
        #expect(request.url == "https://bkt.s3.eu-west-1.amazonaws.com/a%20b/x")
        #expect(virtual.headBucket().url == "https://bkt.s3.eu-west-1.amazonaws.com/")
        #expect(path.headBucket().url == "http://127.0.0.1:8333/bkt")
    }

    @Test func readinessProbeListsOneKeyUnderThePrefix() {
        let request = path.listOneObject(prefix: "files/")
        #expect(request.method == "GET")
        #expect(request.url == "http://127.0.0.1:8333/bkt?list-type=2&max-keys=1&prefix=files%2F")
        #expect(headers(request) == ["x-amz-content-sha256: UNSIGNED-PAYLOAD"])
    }

    @Test func getObjectWithRange() {
        let request = path.getObject(key: ObjectKey(rawValue: "k"), range: 10...20)
        #expect(request.method == "GET")
        #expect(headers(request) == ["Range: bytes=10-20", "x-amz-content-sha256: UNSIGNED-PAYLOAD"])
        #expect(path.getObject(key: ObjectKey(rawValue: "k"), range: nil).header("range") == nil)
    }

    @Test func createMultipartUploadHasUploadsWithEquals() {
        let request = path.createMultipartUpload(key: ObjectKey(rawValue: "k/1"), contentType: "image/png")
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:8333/bkt/k/1?uploads=")
        #expect(
            headers(request) == [
                "Content-Length: 0", "Content-Type: image/png", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
            ])
    }

    @Test func uploadPartQueryIsSortedAndEncoded() {
        let request = path.uploadPart(
            key: ObjectKey(rawValue: "k"), uploadID: "abc/def=", partNumber: 3, length: 5_242_880, md5: md5)
        #expect(request.method == "PUT")
        #expect(request.url == "http://127.0.0.1:8333/bkt/k?partNumber=3&uploadId=abc%2Fdef%3D")
        #expect(
            headers(request) == [
                "Content-Length: 5242880", "Content-MD5: XUFAKrxLKna5cZ2REBfFkg==",
                "x-amz-content-sha256: UNSIGNED-PAYLOAD",
            ])
    }

    @Test func completeAndAbort() {
        let parts = [CompletedPart(partNumber: 2, etag: "bbb"), CompletedPart(partNumber: 1, etag: "aaa")]
        let body = S3RequestBuilder.completeMultipartUploadBody(parts: parts)
        #expect(
            String(decoding: body, as: UTF8.self)
                == "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Part><PartNumber>1</PartNumber><ETag>\"aaa\"</ETag></Part>"
                + "<Part><PartNumber>2</PartNumber><ETag>\"bbb\"</ETag></Part></CompleteMultipartUpload>")
        let complete = path.completeMultipartUpload(key: ObjectKey(rawValue: "k"), uploadID: "u 1", body: body)
        #expect(complete.method == "POST")
        #expect(complete.url == "http://127.0.0.1:8333/bkt/k?uploadId=u%201")
        #expect(complete.header("content-length") == "\(body.count)")
        #expect(complete.header("content-md5") == MD5Hasher.digest(body).base64)
        let abort = path.abortMultipartUpload(key: ObjectKey(rawValue: "k"), uploadID: "u1")
        #expect(abort.method == "DELETE")
        #expect(abort.url == "http://127.0.0.1:8333/bkt/k?uploadId=u1")
    }

    @Test func listMultipartUploads() {
        #expect(path.listMultipartUploads(prefix: "files/").url == "http://127.0.0.1:8333/bkt?prefix=files%2F&uploads=")
        #expect(path.listMultipartUploads(prefix: "").url == "http://127.0.0.1:8333/bkt?uploads=")
        #expect(
            path.listMultipartUploads(prefix: "p", keyMarker: "k 1", uploadIDMarker: "u1").url
                == "http://127.0.0.1:8333/bkt?key-marker=k%201&prefix=p&upload-id-marker=u1&uploads=")
        #expect(virtual.listMultipartUploads(prefix: "").url == "https://bkt.s3.eu-west-1.amazonaws.com/?uploads=")
    }

    @Test func canonicalQuerySortsByEncodedName() {
        #expect(S3RequestBuilder.canonicalQuery([("b", "2"), ("a", ""), ("A", "x y")]) == "A=x%20y&a=&b=2")
    }

    @Test func deleteHeadAndBucket() {
        #expect(path.deleteObject(key: ObjectKey(rawValue: "k")).method == "DELETE")
        #expect(path.headObject(key: ObjectKey(rawValue: "k")).method == "HEAD")
        #expect(path.createBucket(bodyLength: 0).header("Content-Length") == "0")
        #expect(S3RequestBuilder.createBucketBody(region: "us-east-1").isEmpty)
        #expect(
            String(decoding: S3RequestBuilder.createBucketBody(region: "eu-west-1"), as: UTF8.self)
                .contains("<LocationConstraint>eu-west-1</LocationConstraint>"))
    }
}
