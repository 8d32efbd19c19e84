import CoreStore
import Foundation
import HTTPTypes

/// The tus 1.0.0 vocabulary: header names, the version and extensions the node speaks, and the
/// parsing of its headers (https://tus.io/protocols/resumable-upload).
enum TusProtocol {
    /// The only protocol version spoken.
    static let version = "1.0.0"
    /// `Tus-Extension` (concatenation and deferred length are not offered).
    static let extensions = "creation,creation-with-upload,expiration,checksum,termination"
    /// `Tus-Checksum-Algorithm`.
    static let checksumAlgorithms = RequestChecksum.Algorithm.allCases.map(\.rawValue).joined(separator: ",")
    /// The only `Content-Type` of bodies that carry upload bytes.
    static let offsetContentType = "application/offset+octet-stream"

    /// Header names.
    enum Header {
        static let tusResumable = HTTPField.Name("Tus-Resumable")!
        static let tusVersion = HTTPField.Name("Tus-Version")!
        static let tusExtension = HTTPField.Name("Tus-Extension")!
        static let tusMaxSize = HTTPField.Name("Tus-Max-Size")!
        static let tusChecksumAlgorithm = HTTPField.Name("Tus-Checksum-Algorithm")!
        static let uploadOffset = HTTPField.Name("Upload-Offset")!
        static let uploadLength = HTTPField.Name("Upload-Length")!
        static let uploadDeferLength = HTTPField.Name("Upload-Defer-Length")!
        static let uploadMetadata = HTTPField.Name("Upload-Metadata")!
        static let uploadExpires = HTTPField.Name("Upload-Expires")!
        static let uploadChecksum = HTTPField.Name("Upload-Checksum")!
    }

    /// Checks `Tus-Resumable` (required on every request but `OPTIONS`).
    /// - Throws: `.unsupportedProtocolVersion` when it is missing or another version.
    static func requireVersion(_ headers: HTTPFields) throws(CoreStoreError) {
        guard headers[Header.tusResumable]?.trimmingCharacters(in: .whitespaces) == version else {
            throw CoreStoreError(.unsupportedProtocolVersion)
        }
    }

    /// A non-negative integer header (`Upload-Offset`, `Upload-Length`).
    /// - Throws: `.badRequest` when it is missing or not a non-negative decimal integer.
    static func integer(_ name: HTTPField.Name, in headers: HTTPFields) throws(CoreStoreError) -> Int64 {
        guard let text = headers[name], !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let value = Int64(text)
        else { throw CoreStoreError(.badRequest, "\(name.canonicalName) must be a non-negative integer") }
        return value
    }

    /// Parses `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be absent).
    /// - Throws: `.badRequest` for a pair that is not a key and base64.
    static func metadata(_ text: String?) throws(CoreStoreError) -> [String: String] {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [:] }
        var pairs: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let fields = pair.split(separator: " ", omittingEmptySubsequences: true)
            guard (1...2).contains(fields.count), !fields[0].isEmpty else {
                throw CoreStoreError(.badRequest, "Upload-Metadata must be comma-separated 'key base64' pairs")
            }
            var value = ""
            if fields.count == 2 {
                guard let data = Data(base64Encoded: String(fields[1])),
                    let decoded = String(data: data, encoding: .utf8)
                else { throw CoreStoreError(.badRequest, "Upload-Metadata values must be base64 of UTF-8") }
                value = decoded
            }
            pairs[String(fields[0])] = value
        }
        return pairs
    }

    /// `Upload-Expires` (RFC 9110 date).
    static func expires(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
