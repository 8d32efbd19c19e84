import CoreStore
import Foundation
import Hummingbird
import Logging
import Metrics
import NodeHTTP

/// `POST /upload_download_service/{fname}/{uid}/link[?expires_in=SECONDS]`: a signed URL of the
/// name's current version that downloads without a bearer token until it expires (docs/api.md).
struct LinkIssuing: Sendable {
    let authorizer: RequestAuthorizer
    let metadata: any MetadataStore
    let links: DownloadLinks

    /// Answers the request: the owner's bearer token and the name as for `GET`, then `expires_in`,
    /// then the current version.
    /// - Throws: `.invalidCredentials`, `.forbidden`, `.invalidFileName`, `.badRequest`,
    ///   `.fileNotFound`, `.metadataUnavailable`.
    func issue(_ request: Request, context: NodeRequestContext) async throws -> Response {
        try await AuditedTransfer.run(operation: "link", context: context) { audit in
            let (userID, fileName) = try await authorizer.owner(of: request, context: context)
            audit.userID = userID.rawValue
            audit.fileName = fileName.rawValue
            let lifetime = try links.lifetime(of: request)
            let base = try links.baseURL(for: request)
            guard let record = try await metadata.record(userID: userID, fileName: fileName) else {
                throw CoreStoreError(.fileNotFound)
            }
            audit.fileID = record.fileID.rawValue
            let expires = Int64(Date().timeIntervalSince1970.rounded(.down)) + lifetime
            let link = links.signer.sign(userID: userID, fileName: fileName, fileID: record.fileID, expires: expires)
            let path =
                "/upload_download_service/\(PercentEncoding.encodeUnreserved(fileName.rawValue))/"
                + "\(ObjectKey.encodedUser(userID))?\(link.query)"
            let body = IssuedLink(
                url: base + path, path: path,
                expiresAt: ISO8601Timestamp.string(from: Date(timeIntervalSince1970: TimeInterval(expires))),
                expiresIn: lifetime, fileID: record.fileID.rawValue, md5: record.md5.hex, size: record.size)
            var response = try JSONResponse.make(body)
            response.headers[.cacheControl] = "no-store"
            Counter(label: "uds_download_links_issued_total").increment()
            audit.details = ["link.key_id": "\(link.keyID)", "link.expires": "\(expires)"]
            return response
        }
    }
}

/// The answer to a link request (snake_case like the rest of the API).
struct IssuedLink: Encodable {
    let url: String
    let path: String
    let expiresAt: String
    let expiresIn: Int64
    let fileID: String
    let md5: String
    let size: Int64

    enum CodingKeys: String, CodingKey {
        case url, path, md5, size
        case expiresAt = "expires_at"
        case expiresIn = "expires_in"
        case fileID = "file_id"
    }
}
