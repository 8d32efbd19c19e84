import CoreStore
import Foundation
import HTTPTypes
import NodeHTTP

/// The representation headers of a stored file and the conditional-request rules (RFC 9110,
/// RFC 6266): strong ETag = quoted MD5, `Last-Modified` = commit time, `Cache-Control: private,
/// no-cache` (reuse only after revalidation).
struct DownloadHeaders {
    let record: FileRecord

    /// `"<md5 hex>"`.
    var etag: String { EntityTagPreconditions.entityTag(of: record) }

    /// A file may be stored by the browser but is revalidated (ETag) before every reuse.
    static let cacheControl = "private, no-cache"

    /// Headers every GET/HEAD/304 answer carries.
    func base() -> HTTPFields {
        var fields = HTTPFields()
        fields[.eTag] = etag
        fields[.lastModified] = HTTPDate.string(from: record.createdAt)
        fields[.acceptRanges] = "bytes"
        fields[.cacheControl] = Self.cacheControl
        fields[.xContentTypeOptions] = "nosniff"
        return fields
    }

    /// Headers of a 200/206 answer with `length` body bytes.
    func content(length: Int64) -> HTTPFields {
        var fields = base()
        fields[.contentType] = FileContentType.servable(record.contentType)  // rows older than validation
        fields[.contentLength] = String(length)
        fields[.contentDisposition] = ContentDisposition.attachment(filename: record.fileName.rawValue)
        return fields
    }

    /// Whether `If-None-Match` / `If-Modified-Since` make this a 304.
    func isNotModified(_ headers: HTTPFields) -> Bool {
        if let match = headers[.ifNoneMatch] {
            return match.split(separator: ",").contains { candidate in
                let tag = candidate.trimmingWhitespace()
                return tag == "*" || tag == etag || tag == "W/" + etag
            }
        }
        if let since = headers[.ifModifiedSince].flatMap({ HTTPDate.date(from: $0) }) {
            return record.createdAt.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970
        }
        return false
    }

    /// Whether an `If-Range` validator still matches (so the Range applies).
    func ifRangeMatches(_ headers: HTTPFields) -> Bool {
        guard let validator = headers[.ifRange]?.trimmingWhitespace() else { return true }
        if validator.hasPrefix("\"") { return validator == etag }
        guard let date = HTTPDate.date(from: validator) else { return false }
        return record.createdAt.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
    }
}

/// RFC 6266 `Content-Disposition` with an ASCII fallback and the UTF-8 `filename*`.
enum ContentDisposition {
    static func attachment(filename: String) -> String {
        let fallback = String(
            filename.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar != "%"
                    ? Character(scalar) : "_"
            })
        let encoded = PercentEncoding.encodeUnreserved(filename)
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
