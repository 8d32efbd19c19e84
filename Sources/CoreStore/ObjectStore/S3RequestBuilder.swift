/// The method, URL and headers of one S3 request, before signing (curl signs it).
struct S3Request: Sendable {
    /// HTTP method.
    var method: String
    /// Absolute, percent-encoded URL with the canonical (sorted) query string.
    var url: String
    /// Headers in a fixed order.
    var headers: [(String, String)]

    /// The value of the first header called `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Pure construction of S3 requests: URLs (path or virtual-host style), key encoding, canonical
/// query strings and headers. curl 7.88 signs the URL verbatim, so everything is canonical here:
/// keys are percent-encoded except `/`, query parameters are sorted and always carry `=`.
struct S3RequestBuilder: Sendable {
    /// The payload hash header value for streamed bodies (curl 7.88 never adds the header itself).
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    private let endpoint: String
    private let bucket: String
    private let addressingStyle: S3Configuration.AddressingStyle

    /// Creates a builder for one bucket.
    init(endpoint: String, bucket: String, addressingStyle: S3Configuration.AddressingStyle) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.bucket = bucket
        self.addressingStyle = addressingStyle
    }

    /// Creates a builder from a configuration.
    init(configuration: S3Configuration) {
        self.init(
            endpoint: configuration.endpoint, bucket: configuration.bucket,
            addressingStyle: configuration.addressingStyle)
    }

    // MARK: Encoding

    /// Percent-encodes an object key for the path: everything but `A–Z a–z 0–9 - _ . ~ /`.
    static func encodeKey(_ key: String) -> String {
        PercentEncoding.encodeUnreserved(key, keeping: [0x2F])
    }

    /// The canonical query string: names and values percent-encoded, sorted, each with `=`.
    static func canonicalQuery(_ items: [(String, String)]) -> String {
        items
            .map { (PercentEncoding.encodeUnreserved($0.0), PercentEncoding.encodeUnreserved($0.1)) }
            .sorted {
                ($0.0.utf8.lexicographicallyPrecedes($1.0.utf8))
                    || ($0.0 == $1.0 && $0.1.utf8.lexicographicallyPrecedes($1.1.utf8))
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The URL of `key` (or of the bucket itself when `key` is `nil`) with `query`.
    func url(key: String?, query: [(String, String)] = []) -> String {
        let path: String
        let base: String
        switch addressingStyle {
        case .path:
            base = endpoint
            path = "/\(bucket)" + (key.map { "/" + Self.encodeKey($0) } ?? "")
        case .virtualHost:
            if let schemeEnd = endpoint.firstRange(of: "://") {
                base =
                    String(endpoint[..<schemeEnd.upperBound]) + "\(bucket)." + String(endpoint[schemeEnd.upperBound...])
            } else {
                base = "\(bucket).\(endpoint)"
            }
            path = "/" + (key.map(Self.encodeKey) ?? "")
        }
        return query.isEmpty ? base + path : base + path + "?" + Self.canonicalQuery(query)
    }

    // MARK: Objects

    /// `PUT` of a whole object with its `Content-MD5`.
    func putObject(key: ObjectKey, size: Int64, md5: ContentDigest, contentType: String) -> S3Request {
        S3Request(
            method: "PUT", url: url(key: key.rawValue),
            headers: [
                ("Content-Length", "\(size)"), ("Content-MD5", md5.base64), ("Content-Type", contentType),
                ("x-amz-content-sha256", Self.unsignedPayload),
            ])
    }

    /// `GET` of an object or an inclusive byte range of it.
    func getObject(key: ObjectKey, range: ClosedRange<Int64>?) -> S3Request {
        var headers: [(String, String)] = []
        if let range { headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        headers.append(("x-amz-content-sha256", Self.unsignedPayload))
        return S3Request(method: "GET", url: url(key: key.rawValue), headers: headers)
    }

    /// `HEAD` of an object.
    func headObject(key: ObjectKey) -> S3Request {
        S3Request(
            method: "HEAD", url: url(key: key.rawValue), headers: [("x-amz-content-sha256", Self.unsignedPayload)])
    }

    /// `DELETE` of an object.
    func deleteObject(key: ObjectKey) -> S3Request {
        S3Request(
            method: "DELETE", url: url(key: key.rawValue), headers: [("x-amz-content-sha256", Self.unsignedPayload)])
    }

    // MARK: Bucket

    /// `HEAD` of the bucket (reachability and credentials).
    func headBucket() -> S3Request {
        S3Request(method: "HEAD", url: url(key: nil), headers: [("x-amz-content-sha256", Self.unsignedPayload)])
    }

    /// `GET /bucket?list-type=2&max-keys=1&prefix=P` (ListObjectsV2 of one key): a reachability
    /// probe that works with an IAM policy limiting `s3:ListBucket` to the service's prefix.
    func listOneObject(prefix: String) -> S3Request {
        S3Request(
            method: "GET", url: url(key: nil, query: [("list-type", "2"), ("max-keys", "1"), ("prefix", prefix)]),
            headers: [("x-amz-content-sha256", Self.unsignedPayload)])
    }

    /// `PUT` of the bucket with a body of `bodyLength` bytes (a location constraint, or empty).
    func createBucket(bodyLength: Int) -> S3Request {
        S3Request(
            method: "PUT", url: url(key: nil),
            headers: [("Content-Length", "\(bodyLength)"), ("x-amz-content-sha256", Self.unsignedPayload)])
    }

    /// The `CreateBucket` body for regions other than `us-east-1` (empty there).
    static func createBucketBody(region: String) -> [UInt8] {
        guard region != "us-east-1" else { return [] }
        return Array(
            ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>").utf8)
    }

    // MARK: Multipart

    /// `POST ?uploads=` (CreateMultipartUpload).
    func createMultipartUpload(key: ObjectKey, contentType: String) -> S3Request {
        S3Request(
            method: "POST", url: url(key: key.rawValue, query: [("uploads", "")]),
            headers: [
                ("Content-Length", "0"), ("Content-Type", contentType), ("x-amz-content-sha256", Self.unsignedPayload),
            ])
    }

    /// `PUT ?partNumber=N&uploadId=ID` (UploadPart) with the part's `Content-MD5`.
    func uploadPart(key: ObjectKey, uploadID: String, partNumber: Int, length: Int64, md5: ContentDigest) -> S3Request {
        S3Request(
            method: "PUT",
            url: url(key: key.rawValue, query: [("uploadId", uploadID), ("partNumber", "\(partNumber)")]),
            headers: [
                ("Content-Length", "\(length)"), ("Content-MD5", md5.base64),
                ("x-amz-content-sha256", Self.unsignedPayload),
            ])
    }

    /// `POST ?uploadId=ID` (CompleteMultipartUpload) with the XML body from ``completeMultipartUploadBody(parts:)``.
    func completeMultipartUpload(key: ObjectKey, uploadID: String, body: [UInt8]) -> S3Request {
        S3Request(
            method: "POST", url: url(key: key.rawValue, query: [("uploadId", uploadID)]),
            headers: [
                ("Content-Length", "\(body.count)"), ("Content-MD5", MD5Hasher.digest(body).base64),
                ("Content-Type", "application/xml"), ("x-amz-content-sha256", Self.unsignedPayload),
            ])
    }

    /// The CompleteMultipartUpload XML document (parts in ascending order, ETags quoted).
    static func completeMultipartUploadBody(parts: [CompletedPart]) -> [UInt8] {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts.sorted(by: { $0.partNumber < $1.partNumber }) {
            xml += "<Part><PartNumber>\(part.partNumber)</PartNumber><ETag>\"\(S3XML.escape(part.etag))\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        return Array(xml.utf8)
    }

    /// `DELETE ?uploadId=ID` (AbortMultipartUpload).
    func abortMultipartUpload(key: ObjectKey, uploadID: String) -> S3Request {
        S3Request(
            method: "DELETE", url: url(key: key.rawValue, query: [("uploadId", uploadID)]),
            headers: [("x-amz-content-sha256", Self.unsignedPayload)])
    }

    /// `GET /bucket?prefix=P&uploads=` (ListMultipartUploads), with paging markers after the first page.
    func listMultipartUploads(prefix: String, keyMarker: String? = nil, uploadIDMarker: String? = nil) -> S3Request {
        var query: [(String, String)] = [("uploads", "")]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let keyMarker { query.append(("key-marker", keyMarker)) }
        if let uploadIDMarker { query.append(("upload-id-marker", uploadIDMarker)) }
        return S3Request(
            method: "GET", url: url(key: nil, query: query), headers: [("x-amz-content-sha256", Self.unsignedPayload)])
    }
}
