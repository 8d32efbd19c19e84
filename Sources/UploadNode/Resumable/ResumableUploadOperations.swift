import CoreStore
import Foundation
import Hummingbird
import NodeHTTP

/// What both resumable protocols (tus 1.0 and the IETF draft) do the same way: creating an
/// upload's durable state, finding the caller's upload, and appending a request body to it under
/// the user's upload slots (docs/decisions/0022 and 0024).
struct ResumableUploadOperations: Sendable {
    let authorizer: RequestAuthorizer
    let appender: ResumableAppender
    let uploads: any ResumableUploadStore
    let settings: NodeConfiguration
    let userSlots: UserUploadSlots
    let spoolPath: String

    /// Refuses a file larger than `maxUploadBytes` (decided at creation, from the announced length).
    /// - Throws: `.payloadTooLarge`.
    func requireAllowedLength(_ length: Int64) throws(CoreStoreError) {
        guard length <= settings.maxUploadBytes else { throw CoreStoreError(.payloadTooLarge) }
    }

    /// Creates the state of a new upload at offset 0, after the quota check (done again,
    /// authoritatively, at the commit).
    /// - Parameters:
    ///   - userID: The owner.
    ///   - fileName: The name the file commits to.
    ///   - length: The whole file's size (already checked with ``requireAllowedLength(_:)``).
    ///   - md5: The whole file's announced MD5.
    ///   - contentType: The stored content type.
    /// - Returns: The new upload.
    /// - Throws: `.quotaExceeded` and metadata-store errors.
    func create(
        userID: UserID, fileName: FileName, length: Int64, md5: ContentDigest, contentType: String
    ) async throws -> ResumableUpload {
        let committer = appender.committer
        if !committer.quota.isUnlimited {
            let usage = try await committer.metadata.usage(userID: userID, excluding: fileName)
            try committer.quota.check(adding: length, to: usage)
        }
        let now = Date()
        let fileID = FileID.generate()
        let upload = ResumableUpload(
            id: ResumableUpload.newID(), userID: userID, fileName: fileName, length: length, expectedMD5: md5,
            contentType: contentType, fileID: fileID,
            objectKey: ObjectKey(
                rawValue: ObjectKey(prefix: settings.keyPrefix, userID: userID, fileID: fileID).rawValue
                    + ResumableUpload.keySuffix),
            partBytes: settings.upload.resumablePartBytes, createdAt: now,
            expiresAt: now.addingTimeInterval(settings.upload.resumableExpirySeconds))
        try await uploads.createUpload(upload)
        return upload
    }

    /// The path's upload (`{uid}/{id}`), owned by the token's user.
    /// - Throws: `.invalidCredentials`, `.forbidden`, `.uploadNotFound`, `.uploadExpired` (unless
    ///   `allowExpired`).
    func current(
        _ request: Request, context: NodeRequestContext, allowExpired: Bool = false
    ) async throws -> ResumableUpload {
        let userID = try await authorizer.user(of: request, context: context)
        guard let id = context.parameters.get("id"), ResumableUpload.isValidID(id),
            let upload = try await uploads.upload(id: id, userID: userID)
        else { throw CoreStoreError(.uploadNotFound) }
        if !allowExpired, upload.expiresAt <= Date() { throw CoreStoreError(.uploadExpired) }
        return upload
    }

    /// The checks made before the body is read (declared length, spool space), then the append
    /// under one of the user's slots (asking for the body with `100 Continue` only then).
    /// - Throws: `.payloadTooLarge`, `.insufficientStorage`, `.rateLimited`, and what
    ///   ``ResumableAppender/append(_:body:declaredLength:checksum:)`` throws.
    func appendBody(
        _ request: Request, to upload: ResumableUpload, context: NodeRequestContext, checksum: RequestChecksum?
    ) async throws -> ResumableAppendResult {
        if let length = request.declaredLength, length > upload.length - upload.offset {
            throw CoreStoreError(.payloadTooLarge)
        }
        if DiskSpace.freeBytes(at: spoolPath) < settings.upload.spoolMinFreeBytes {
            throw CoreStoreError(.insufficientStorage)
        }
        let userID = try UserID(validating: upload.userID)
        return try await userSlots.withSlot(for: userID) {
            context.acceptBody()
            return try await appender.append(
                upload, body: request.body, declaredLength: request.declaredLength, checksum: checksum)
        }
    }
}
