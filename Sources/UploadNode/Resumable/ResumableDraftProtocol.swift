import CoreStore
import Foundation
import HTTPTypes

/// The vocabulary of the IETF "Resumable Uploads for HTTP" draft in the interop versions 3, 5 and
/// 6, as `NIOResumableUpload` (swift-nio-extras 1.35.2) and `URLSession` (iOS 17+, macOS 14+)
/// speak it: header names, the structured-field values, and which header says "complete".
enum ResumableDraftProtocol {
    /// `Upload-Draft-Interop-Version`: 3 says completeness with `Upload-Incomplete`, 5 and 6 with
    /// `Upload-Complete`; 6 also types appended bodies `application/partial-upload`.
    enum InteropVersion: Int, Sendable, Comparable, CaseIterable {
        case v3 = 3
        case v5 = 5
        case v6 = 6

        /// The version of answers to requests whose version is unknown (as the package does).
        static let latest: Self = .v6

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The `Content-Type` of appended bodies from interop version 6 on.
    static let partialUploadContentType = "application/partial-upload"

    /// `104 Upload Resumption Supported`: sent with the upload's URL once the upload exists.
    static let informationalStatus = HTTPResponse.Status(code: 104, reasonPhrase: "Upload Resumption Supported")

    /// Header names.
    enum Header {
        static let interopVersion = HTTPField.Name("Upload-Draft-Interop-Version")!
        static let uploadComplete = HTTPField.Name("Upload-Complete")!
        static let uploadIncomplete = HTTPField.Name("Upload-Incomplete")!
        static let uploadOffset = HTTPField.Name("Upload-Offset")!
        static let uploadLength = HTTPField.Name("Upload-Length")!
    }

    /// The request's interop version; `nil` when it names none (a plain request).
    /// - Throws: `.badRequest` for a version other than 3, 5 or 6.
    static func version(of headers: HTTPFields) throws(CoreStoreError) -> InteropVersion? {
        guard let text = headers[Header.interopVersion] else { return nil }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)),
            let version = InteropVersion(rawValue: number)
        else { throw CoreStoreError(.badRequest, "Upload-Draft-Interop-Version must be 3, 5 or 6") }
        return version
    }

    /// Whether the request says its body ends the upload: `Upload-Complete` (5, 6), or the
    /// negation of `Upload-Incomplete` (3); `nil` when the version's header is absent.
    /// - Throws: `.badRequest` when the header is not a structured-field boolean (`?1`, `?0`).
    static func complete(in headers: HTTPFields, version: InteropVersion) throws(CoreStoreError) -> Bool? {
        if version >= .v5 { return try boolean(Header.uploadComplete, in: headers) }
        return try boolean(Header.uploadIncomplete, in: headers).map { !$0 }
    }

    /// Whether the request carries any of the headers that only append requests may carry
    /// (offset retrieval and cancellation must not: the package answers them 400).
    static func hasAppendHeaders(_ headers: HTTPFields) -> Bool {
        [Header.uploadComplete, Header.uploadIncomplete, Header.uploadOffset, Header.uploadLength].contains {
            headers[$0] != nil
        }
    }

    /// A structured-field boolean (`?1` / `?0`, parameters ignored).
    /// - Throws: `.badRequest` for anything else.
    static func boolean(_ name: HTTPField.Name, in headers: HTTPFields) throws(CoreStoreError) -> Bool? {
        guard let text = headers[name] else { return nil }
        switch text.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) {
        case "?1": return true
        case "?0": return false
        default: throw CoreStoreError(.badRequest, "\(name.canonicalName) must be ?1 or ?0")
        }
    }

    /// A non-negative structured-field integer (at most 15 digits), e.g. `Upload-Offset`.
    /// - Throws: `.badRequest` for anything else.
    static func integer(_ name: HTTPField.Name, in headers: HTTPFields) throws(CoreStoreError) -> Int64? {
        guard let raw = headers[name] else { return nil }
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard (1...15).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let value = Int64(text)
        else { throw CoreStoreError(.badRequest, "\(name.canonicalName) must be a non-negative integer") }
        return value
    }

    /// The headers that tell a client where an upload stands: the version, `Upload-Offset`, and
    /// `Upload-Complete` (5, 6) or `Upload-Incomplete` (3).
    static func progress(offset: Int64, complete: Bool, version: InteropVersion) -> HTTPFields {
        var headers: HTTPFields = [Header.interopVersion: String(version.rawValue)]
        if version >= .v5 {
            headers[Header.uploadComplete] = complete ? "?1" : "?0"
        } else {
            headers[Header.uploadIncomplete] = complete ? "?0" : "?1"
        }
        headers[Header.uploadOffset] = String(offset)
        return headers
    }

    /// The `104` informational response naming the upload's URL.
    static func informational(location: String, version: InteropVersion) -> HTTPResponse {
        HTTPResponse(
            status: informationalStatus,
            headerFields: [Header.interopVersion: String(version.rawValue), .location: location])
    }
}
