import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import NodeHTTP

/// The IETF "Resumable Uploads for HTTP" draft, interop versions 3, 5 and 6
/// (docs/decisions/0024-ietf-resumable-uploads.md), over the same durable state as tus: any
/// upload node serves any request of any upload.
///
/// - Upload creation is the raw `PUT /upload_download_service/{fname}/{uid}` (`Content-MD5`
///   required, as for every `PUT`) with `Upload-Draft-Interop-Version` and `Upload-Complete`
///   (5, 6) or `Upload-Incomplete` (3): the route creates the upload, sends `104` with its URL
///   (`Location`), then appends the body. So an app's ordinary `PUT` becomes resumable when
///   `URLSession` adds the draft's headers.
/// - The upload resource is `/upload_download_service/resumable/{uid}/{id}`: `HEAD` (offset
///   retrieval), `PATCH` (append at `Upload-Offset`), `DELETE` (cancellation).
///
/// The file's length must be known when the upload is created: `Upload-Length`, or the
/// `Content-Length` of a creation request that completes the upload.
struct ResumableDraftRoutes: Sendable {
    /// What the draft shares with tus (state, lookup, append).
    let operations: ResumableUploadOperations
    let drain: DrainState

    typealias Draft = ResumableDraftProtocol

    /// Registers offset retrieval, append and cancellation under `/upload_download_service/resumable`.
    func register(on router: Router<NodeRequestContext>) {
        let group = router.group("upload_download_service/resumable").add(
            middleware: ResumableDraftResponseMiddleware())
        group.head("{uid}/{id}") { request, context in try await self.offset(request, context: context) }
        group.patch("{uid}/{id}") { request, context in try await self.append(request, context: context) }
        group.delete("{uid}/{id}") { request, context in try await self.cancel(request, context: context) }
    }

    /// Serves a `PUT` that creates a draft upload (it names an interop version and says whether it
    /// is complete); `nil` for a plain `PUT`, which the raw upload route serves.
    func creation(_ request: Request, context: NodeRequestContext) async -> Response? {
        let version: Draft.InteropVersion
        let complete: Bool
        do {
            guard let named = try Draft.version(of: request.headers) else { return nil }
            version = named
            guard let said = try Draft.complete(in: request.headers, version: version) else { return nil }
            complete = said
        } catch {
            return ResumableDraftResponses.error(error, version: .latest, logger: context.logger)
        }
        var created: ResumableUpload?
        do {
            return try await AuditedUpload.run(operation: "resumable_create", context: context, drain: drain) { audit in
                let head = try await RawUploadHead.read(
                    request, context: context, authorizer: operations.authorizer, audit: &audit)
                let (userID, fileName, md5, contentType) = (head.userID, head.fileName, head.md5, head.contentType)
                if let offset = try Draft.integer(Draft.Header.uploadOffset, in: request.headers), offset != 0 {
                    throw CoreStoreError(.badRequest, "Upload-Offset of an upload creation must be 0")
                }
                let length = try Self.length(of: request, complete: complete)
                try operations.requireAllowedLength(length)
                let upload = try await operations.create(
                    userID: userID, fileName: fileName, length: length, md5: md5, contentType: contentType)
                created = upload
                let location = Self.location(of: upload, userID: userID)
                context.sendInformational(Draft.informational(location: location, version: version))
                let result = try await operations.appendBody(request, to: upload, context: context, checksum: nil)
                audit.bytes = result.upload.offset
                return try Self.answer(result, requestedComplete: complete, version: version, location: location)
            }
        } catch {
            let rejection = await rejection(error, upload: created)
            return ResumableDraftResponses.error(rejection, version: version, logger: context.logger)
        }
    }

    /// `HEAD`: offset retrieval. An upload whose every byte is stored but whose commit did not
    /// happen (its node died) is finished first.
    private func offset(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let upload = try await operations.current(request, context: context)
        let version = try Self.requireVersion(request)
        guard !Draft.hasAppendHeaders(request.headers) else {
            throw CoreStoreError(
                .badRequest,
                "offset retrieval takes no Upload-Offset, Upload-Complete, Upload-Incomplete or Upload-Length")
        }
        let complete = upload.offset == upload.length
        if complete { try await operations.appender.finish(upload) }
        var headers = Draft.progress(offset: upload.offset, complete: complete, version: version)
        headers[.cacheControl] = "no-store"
        return Response(status: .noContent, headers: headers)
    }

    /// `PATCH`: appends the body at `Upload-Offset`; `Upload-Complete: ?1` (the default) says it
    /// ends the upload.
    private func append(_ request: Request, context: NodeRequestContext) async throws -> Response {
        var loaded: ResumableUpload?
        do {
            return try await AuditedUpload.run(operation: "resumable_append", context: context, drain: drain) { audit in
                let upload = try await operations.current(request, context: context)
                loaded = upload
                audit.userID = upload.userID
                audit.fileName = upload.fileName
                let version = try Self.requireVersion(request)
                if version >= .v6 {
                    let type = request.headers[.contentType]?.split(separator: ";").first?
                        .trimmingCharacters(in: .whitespaces).lowercased()
                    guard type == Draft.partialUploadContentType else {
                        throw CoreStoreError(.badRequest, "Content-Type must be application/partial-upload")
                    }
                }
                guard let offset = try Draft.integer(Draft.Header.uploadOffset, in: request.headers) else {
                    throw CoreStoreError(.badRequest, "Upload-Offset is required")
                }
                let complete = try Draft.complete(in: request.headers, version: version) ?? true
                guard offset == upload.offset else { throw CoreStoreError(.uploadOffsetMismatch) }
                if let announced = try Draft.integer(Draft.Header.uploadLength, in: request.headers),
                    announced != upload.length
                {
                    throw CoreStoreError(.uploadLengthMismatch)
                }
                let remaining = upload.length - upload.offset
                if let declared = request.declaredLength, complete ? declared != remaining : declared > remaining {
                    throw CoreStoreError(.uploadLengthMismatch)
                }
                let result: ResumableAppendResult
                if remaining == 0 {  // every byte stored, the commit not done (its node died): finish it
                    result = ResumableAppendResult(upload: upload, record: try await operations.appender.finish(upload))
                } else {
                    result = try await operations.appendBody(request, to: upload, context: context, checksum: nil)
                }
                audit.bytes = result.upload.offset - upload.offset
                return try Self.answer(result, requestedComplete: complete, version: version, location: nil)
            }
        } catch {
            throw await rejection(error, upload: loaded)
        }
    }

    /// `DELETE`: cancellation (parts, tail and state removed).
    private func cancel(_ request: Request, context: NodeRequestContext) async throws -> Response {
        let upload = try await operations.current(request, context: context, allowExpired: true)
        let version = try Self.requireVersion(request)
        guard !Draft.hasAppendHeaders(request.headers) else {
            throw CoreStoreError(
                .badRequest, "cancellation takes no Upload-Offset, Upload-Complete, Upload-Incomplete or Upload-Length")
        }
        try await operations.appender.discard(upload)
        return Response(status: .noContent, headers: [Draft.Header.interopVersion: String(version.rawValue)])
    }

    // MARK: - Helpers

    /// The answer to a request whose body was appended: `200` with the file's record when the
    /// upload is complete (committed), else `201` with the offset. A request that said it
    /// completes the upload but whose body ended short keeps its bytes and is refused.
    /// - Throws: `.uploadLengthMismatch` for such a short "complete" body.
    private static func answer(
        _ result: ResumableAppendResult, requestedComplete: Bool, version: Draft.InteropVersion, location: String?
    ) throws -> Response {
        let upload = result.upload
        if let record = result.record {
            var response = try JSONResponse.make(UploadReceipt(record: record))
            response.headers.append(contentsOf: Draft.progress(offset: upload.length, complete: true, version: version))
            if let location { response.headers[.location] = location }
            return response
        }
        if requestedComplete { throw CoreStoreError(.uploadLengthMismatch) }
        var headers = Draft.progress(offset: upload.offset, complete: false, version: version)
        if let location { headers[.location] = location }
        return Response(status: .created, headers: headers)
    }

    /// The file's length announced by a creation request: `Upload-Length`, or the
    /// `Content-Length` of a request that completes the upload (both: they must agree).
    /// - Throws: `.badRequest` when neither says it, `.uploadLengthMismatch` when they disagree.
    private static func length(of request: Request, complete: Bool) throws(CoreStoreError) -> Int64 {
        let announced = try Draft.integer(Draft.Header.uploadLength, in: request.headers)
        let declared = request.declaredLength
        if complete, let declared {
            if let announced, announced != declared { throw CoreStoreError(.uploadLengthMismatch) }
            return declared
        }
        guard let announced else {
            throw CoreStoreError(
                .badRequest,
                "a resumable upload needs its length: Upload-Length, or Content-Length on a request that completes it")
        }
        if let declared, declared > announced { throw CoreStoreError(.uploadLengthMismatch) }
        return announced
    }

    /// The request's interop version, required on the upload resource.
    /// - Throws: `.badRequest` when missing or not 3, 5 or 6.
    private static func requireVersion(_ request: Request) throws(CoreStoreError) -> Draft.InteropVersion {
        guard let version = try Draft.version(of: request.headers) else {
            throw CoreStoreError(.badRequest, "Upload-Draft-Interop-Version must be 3, 5 or 6")
        }
        return version
    }

    /// An offset or length conflict, with the upload's current state for the answer's headers
    /// (read again: another request may have moved it); other errors as they are.
    private func rejection(_ error: any Error, upload: ResumableUpload?) async -> any Error {
        guard let storeError = error as? CoreStoreError,
            storeError.code == .uploadOffsetMismatch || storeError.code == .uploadLengthMismatch,
            let upload, let userID = try? UserID(validating: upload.userID),
            let current = try? await operations.uploads.upload(id: upload.id, userID: userID)
        else { return error }
        return ResumableDraftRejection(error: storeError, upload: current)
    }

    /// `/upload_download_service/resumable/<uid>/<id>`, the uid percent-encoded (`.`/`..` as `%2E`).
    static func location(of upload: ResumableUpload, userID: UserID) -> String {
        "/upload_download_service/resumable/\(ObjectKey.encodedUser(userID))/\(upload.id)"
    }
}
