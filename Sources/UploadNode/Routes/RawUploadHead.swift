import CoreStore
import Hummingbird
import NodeHTTP

/// What the head of a raw `PUT` (a plain upload, or the creation of a resumable one) says: the
/// owner and name from the path and the token, the whole file's `Content-MD5` and its type.
struct RawUploadHead {
    let userID: UserID
    let fileName: FileName
    let md5: ContentDigest
    let contentType: String

    /// Reads the head, recording the owner and name in `audit` as soon as they are known.
    /// - Throws: The authorizer's errors, `.missingChecksum`, `.invalidChecksum`, and the content
    ///   type's validation error.
    static func read(
        _ request: Request, context: NodeRequestContext, authorizer: RequestAuthorizer, audit: inout TransferAudit
    ) async throws -> RawUploadHead {
        let (userID, fileName) = try await authorizer.owner(of: request, context: context)
        audit.userID = userID.rawValue
        audit.fileName = fileName.rawValue
        guard let md5Text = request.headers[.contentMD5] else { throw CoreStoreError(.missingChecksum) }
        let md5 = try ContentDigest(parsing: md5Text)
        let contentType =
            try request.headers[.contentType].map { value throws(CoreStoreError) in
                try FileContentType(validating: value).rawValue
            } ?? FileContentType.octetStream
        return RawUploadHead(userID: userID, fileName: fileName, md5: md5, contentType: contentType)
    }
}
