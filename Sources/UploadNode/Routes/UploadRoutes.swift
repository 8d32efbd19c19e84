import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import NodeHTTP

/// The upload node's API (design §3): multipart `POST …/upload`, raw `PUT …/<fname>/<uid>`,
/// `DELETE …/<fname>/<uid>`.
///
/// Every decision that can be made from the headers (token, owner, name, MD5 format, size,
/// spool space) is made before the body is read; only then does the route ask the client for
/// the body (`100 Continue`).
struct UploadRoutes: Sendable {
    let authorizer: RequestAuthorizer
    let committer: UploadCommitter
    let uploader: ObjectUploader
    let spool: SpoolDirectory
    let settings: NodeConfiguration
    let drain: DrainState
    /// Per-user concurrent uploads on this node.
    let userSlots: UserUploadSlots
    /// Disk space all spool files may reserve ahead of their bytes.
    let reservations: SpoolReservationBudget
    /// The IETF resumable-upload draft, whose upload creation is a `PUT` with its headers (`nil`
    /// when the stores cannot keep resumable uploads).
    let resumable: ResumableDraftRoutes?

    /// What a multipart body may hold besides the file's bytes (boundaries, part headers, the `md5`
    /// part, preamble, epilogue, ignored parts): a form body is at most `max-upload-bytes` plus this,
    /// declared (`Content-Length`) or streamed (chunked); beyond it, 413.
    static let formOverheadBytes: Int64 = 64 * 1024

    /// Registers the routes under `/upload_download_service`.
    func register(on router: Router<NodeRequestContext>) {
        let group = router.group("upload_download_service")
        group.post("upload") { request, context in try await self.uploadForm(request, context: context) }
        group.put("{fname}/{uid}") { request, context in
            if let resumable = self.resumable, let response = await resumable.creation(request, context: context) {
                return response
            }
            return try await self.uploadRaw(request, context: context)
        }
        group.delete("{fname}/{uid}") { request, context in try await self.delete(request, context: context) }
    }

    private func uploadForm(_ request: Request, context: NodeRequestContext) async throws -> Response {
        try await AuditedUpload.run(operation: "upload_form", context: context, drain: drain) { audit in
            let principal = try await authorizer.principal(of: request, context: context)
            audit.userID = principal.userID.rawValue
            guard let contentType = request.headers[.contentType],
                contentType.lowercased().hasPrefix("multipart/form-data")
            else { throw CoreStoreError(.malformedMultipart, "Content-Type must be multipart/form-data") }
            let headerMD5 = try request.headers[.contentMD5].map { text throws(CoreStoreError) in
                try ContentDigest(parsing: text)
            }
            try checkBeforeBody(request, allowance: Self.formOverheadBytes)
            let preconditions = EntityTagPreconditions(request.headers)
            return try await receiveAndStore(
                userID: principal.userID, preconditions: preconditions, context: context, audit: &audit
            ) { path, pipeline in
                let (received, fields) = try await BodyReceiver.receiveForm(
                    request.body, contentType: contentType, to: path, limits: limits(for: request),
                    formBodyLimit: settings.maxUploadBytes + Self.formOverheadBytes, pipeline: pipeline)
                let expected: ContentDigest
                if let text = fields.md5Text {
                    expected = try ContentDigest(parsing: text)
                } else if let headerMD5 {
                    expected = headerMD5
                } else {
                    throw CoreStoreError(.missingChecksum)
                }
                let storedType = fields.contentType?.rawValue ?? FileContentType.octetStream
                return ReceivedUpload(
                    received: received, fileName: fields.fileName, expectedMD5: expected, contentType: storedType)
            }
        }
    }

    private func uploadRaw(_ request: Request, context: NodeRequestContext) async throws -> Response {
        try await AuditedUpload.run(operation: "upload_raw", context: context, drain: drain) { audit in
            let head = try await RawUploadHead.read(request, context: context, authorizer: authorizer, audit: &audit)
            let (userID, fileName, expected, contentType) = (head.userID, head.fileName, head.md5, head.contentType)
            try checkBeforeBody(request, allowance: 0)
            let preconditions = EntityTagPreconditions(request.headers)
            if !preconditions.isEmpty {  // before the body is sent; checked again at the commit
                try preconditions.check(
                    current: try await committer.metadata.record(userID: userID, fileName: fileName))
            }
            try await checkQuotaBeforeBody(request, userID: userID, fileName: fileName)
            return try await receiveAndStore(
                userID: userID, preconditions: preconditions, context: context, audit: &audit
            ) { path, pipeline in
                let received = try await BodyReceiver.receiveRaw(
                    request.body, to: path, limits: limits(for: request), pipeline: pipeline)
                return ReceivedUpload(
                    received: received, fileName: fileName, expectedMD5: expected, contentType: contentType)
            }
        }
    }

    private func delete(_ request: Request, context: NodeRequestContext) async throws -> Response {
        try await AuditedUpload.run(operation: "delete", context: context, drain: drain) { audit in
            let (userID, fileName) = try await authorizer.owner(of: request, context: context)
            audit.userID = userID.rawValue
            audit.fileName = fileName.rawValue
            try await committer.delete(
                userID: userID, fileName: fileName, preconditions: EntityTagPreconditions(request.headers))
            return Response(status: .noContent)
        }
    }

    /// Rejections decided from the headers alone: declared size over the limit, spool disk full.
    private func checkBeforeBody(_ request: Request, allowance: Int64) throws(CoreStoreError) {
        if let length = request.declaredLength, length > settings.maxUploadBytes + allowance {
            throw CoreStoreError(.payloadTooLarge)
        }
        if DiskSpace.freeBytes(at: spool.path) < settings.upload.spoolMinFreeBytes {
            throw CoreStoreError(.insufficientStorage)
        }
    }

    /// With a quota and a declared `Content-Length`, refuses an upload that cannot fit before its
    /// body is sent (the commit checks again, authoritatively: other uploads may land meanwhile).
    /// - Throws: `.quotaExceeded`, `.metadataUnavailable`.
    private func checkQuotaBeforeBody(_ request: Request, userID: UserID, fileName: FileName) async throws {
        guard !committer.quota.isUnlimited, let length = request.declaredLength else { return }
        let usage = try await committer.metadata.usage(userID: userID, excluding: fileName)
        try committer.quota.check(adding: length, to: usage)
    }

    /// The bounds of one request's body.
    private func limits(for request: Request) -> BodyReceiver.Limits {
        BodyReceiver.Limits(
            maxBytes: settings.maxUploadBytes, partBytes: settings.upload.multipartPartBytes,
            declaredLength: request.declaredLength, reservations: reservations,
            minimumBytesPerSecond: settings.upload.minBytesPerSecond,
            rateWindowSeconds: settings.upload.rateWindowSeconds)
    }

    /// Takes one of the user's upload slots, asks for the body (`100 Continue`), spools it (parts
    /// already flowing to the store), verifies the MD5, stores and commits. Anything that fails
    /// before the commit aborts the object-store upload and deletes the spool.
    /// - Throws: `.rateLimited` (before the body is asked for) when the user runs too many uploads.
    private func receiveAndStore(
        userID: UserID, preconditions: EntityTagPreconditions, context: NodeRequestContext,
        audit: inout TransferAudit,
        receive: (String, MultipartPipeline) async throws -> ReceivedUpload
    ) async throws -> Response {
        try await userSlots.withSlot(for: userID) {
            context.acceptBody()
            return try await store(userID: userID, preconditions: preconditions, audit: &audit, receive: receive)
        }
    }

    private func store(
        userID: UserID, preconditions: EntityTagPreconditions, audit: inout TransferAudit,
        receive: (String, MultipartPipeline) async throws -> ReceivedUpload
    ) async throws -> Response {
        let fileID = FileID.generate()
        let key = ObjectKey(prefix: settings.keyPrefix, userID: userID, fileID: fileID)
        let names = spool.newUpload()
        var uncertain = false  // whether the backends may hold something of this upload after a failure
        defer { uncertain ? spool.handOver(names) : spool.discard(names) }
        let pipeline = uploader.pipeline(key: key, names: names)
        do {
            let upload = try await receive(names.data, pipeline)
            audit.bytes = upload.received.body.size
            audit.fileName = upload.fileName.rawValue
            guard upload.received.body.md5 == upload.expectedMD5 else { throw CoreStoreError(.checksumMismatch) }
            let record = try await committer.commit(
                upload.received, fileID: fileID, key: key, pipeline: pipeline, userID: userID,
                fileName: upload.fileName, contentType: upload.contentType, preconditions: preconditions)
            audit.fileID = record.fileID.rawValue
            return try JSONResponse.make(UploadReceipt(record: record))
        } catch {
            let aborted = await pipeline.abort()
            // A commit whose answer was lost may still land; a PUT whose answer was lost may have
            // placed the object; a multipart upload may be left: the sweeper checks them later.
            let code = ErrorResponse.coreStoreError(from: error).code
            let placed = pipeline.placementStarted
            uncertain = !aborted || (placed && (code == .metadataUnavailable || code == .objectStoreUnavailable))
            throw error
        }
    }
}

/// The upload answer: `{"name","file_id","size","md5","created_at"}`.
struct UploadReceipt: Encodable {
    let name: String
    let fileID: String
    let size: Int64
    let md5: String
    let createdAt: String

    init(record: FileRecord) {
        name = record.fileName.rawValue
        fileID = record.fileID.rawValue
        size = record.size
        md5 = record.md5.hex
        createdAt = ISO8601Timestamp.string(from: record.createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case name, size, md5
        case fileID = "file_id"
        case createdAt = "created_at"
    }
}

/// Maps error codes to the `uds_upload_outcomes_total{outcome}` labels.
enum UploadOutcome {
    static func label(for code: CoreStoreError.Code) -> String {
        switch code {
        case .checksumMismatch: "checksum"
        case .clientClosedRequest: "aborted"
        case .payloadTooLarge: "too_large"
        case .quotaExceeded: "quota"
        case .rateLimited: "rate_limited"
        case .requestTimeout: "too_slow"
        case .preconditionFailed: "precondition"
        case .invalidCredentials, .forbidden: "auth"
        case .badRequest, .malformedMultipart, .missingFilePart, .invalidFileName, .invalidChecksum,
            .missingChecksum, .fileNotFound, .routeNotFound, .headersTooLarge, .notImplemented:
            "bad_request"
        default: "error"
        }
    }
}

extension Request {
    /// The body length from `Content-Length`, if the client declared one.
    var declaredLength: Int64? { headers[.contentLength].flatMap(Int64.init) }
}

/// What a route's body reader hands to the commit: the spooled body and what the request said
/// about it.
private struct ReceivedUpload {
    /// The spooled body and its last part.
    var received: BodyReceiver.Received
    /// The name the file is stored under.
    var fileName: FileName
    /// The MD5 the client announced.
    var expectedMD5: ContentDigest
    /// The stored content type.
    var contentType: String
}
