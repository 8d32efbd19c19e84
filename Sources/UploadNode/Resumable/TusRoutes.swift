import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NodeHTTP

/// tus 1.0.0 at `/upload_download_service/uploads/` (core, creation, creation-with-upload,
/// expiration, checksum, termination); each upload is `…/uploads/<uid>/<upload-id>`. The state
/// lives in the shared metadata store, so any upload node serves any request of any upload.
///
/// Every request but `OPTIONS` needs `Tus-Resumable: 1.0.0` and the owner's bearer token (the
/// path's `<uid>` is checked against the token like the other routes: another user's → 403).
struct TusRoutes: Sendable {
    /// What tus shares with the IETF draft's routes (state, lookup, append).
    let operations: ResumableUploadOperations
    let drain: DrainState

    private var settings: NodeConfiguration { operations.settings }
    private var appender: ResumableAppender { operations.appender }

    /// Registers the routes under `/upload_download_service/uploads`.
    func register(on router: Router<NodeRequestContext>) {
        let group = router.group("upload_download_service/uploads").add(middleware: TusResponseMiddleware())
        group.on("", method: .options) { _, _ in self.discovery() }
        group.post { request, context in try await self.create(request, context: context) }
        group.on("{uid}/{id}", method: .options) { _, context in
            guard context.parameters.get("id").map(ResumableUpload.isValidID) == true else {
                throw CoreStoreError(.uploadNotFound)
            }
            return self.discovery()
        }
        group.head("{uid}/{id}") { request, context in try await self.offset(request, context: context) }
        group.patch("{uid}/{id}") { request, context in try await self.append(request, context: context) }
        group.delete("{uid}/{id}") { request, context in try await self.terminate(request, context: context) }
    }

    /// `OPTIONS`: what the server speaks (no token needed: it reveals nothing about uploads).
    private func discovery() -> Response {
        Response(
            status: .noContent,
            headers: [
                TusProtocol.Header.tusVersion: TusProtocol.version,
                TusProtocol.Header.tusExtension: TusProtocol.extensions,
                TusProtocol.Header.tusMaxSize: String(settings.maxUploadBytes),
                TusProtocol.Header.tusChecksumAlgorithm: TusProtocol.checksumAlgorithms,
            ])
    }

    /// `POST`: creates an upload from `Upload-Length` and `Upload-Metadata` (`filename`, `md5`,
    /// optional `filetype`), appending the body if one comes along (creation-with-upload).
    private func create(_ request: Request, context: NodeRequestContext) async throws -> Response {
        try await AuditedUpload.run(operation: "tus_create", context: context, drain: drain) { audit in
            try TusProtocol.requireVersion(request.headers)
            let userID = try await operations.authorizer.principal(of: request, context: context).userID
            audit.userID = userID.rawValue
            if request.headers[TusProtocol.Header.uploadDeferLength] != nil {
                throw CoreStoreError(.badRequest, "Upload-Defer-Length is not supported")
            }
            let length = try TusProtocol.integer(TusProtocol.Header.uploadLength, in: request.headers)
            try operations.requireAllowedLength(length)
            let metadata = try TusProtocol.metadata(request.headers[TusProtocol.Header.uploadMetadata])
            guard let name = metadata["filename"] else {
                throw CoreStoreError(.invalidFileName, "Upload-Metadata must carry the file name (filename)")
            }
            let fileName = try FileName(validating: name)
            audit.fileName = fileName.rawValue
            guard let md5Text = metadata["md5"] else {
                throw CoreStoreError(.missingChecksum, "Upload-Metadata must carry the whole file's md5")
            }
            let md5 = try ContentDigest(parsing: md5Text)
            let contentType =
                try metadata["filetype"].map { value throws(CoreStoreError) in
                    try FileContentType(validating: value).rawValue
                } ?? FileContentType.octetStream
            // creation-with-upload: the body carries bytes when it is typed as upload bytes.
            let hasBody = (try? requireOffsetContentType(request)) != nil && request.declaredLength != 0
            var upload = try await operations.create(
                userID: userID, fileName: fileName, length: length, md5: md5, contentType: contentType)
            var headers: HTTPFields = [
                .location: Self.location(of: upload, userID: userID),
                TusProtocol.Header.uploadExpires: TusProtocol.expires(upload.expiresAt),
            ]
            if hasBody || length == 0 {
                do {
                    upload = try await appendBody(request, to: upload, context: context).upload
                } catch {
                    try? await appender.discard(upload)
                    throw error
                }
                audit.bytes = upload.offset
                headers[TusProtocol.Header.uploadOffset] = String(upload.offset)
            }
            return Response(status: .created, headers: headers)
        }
    }

    /// `HEAD`: the upload's offset. An upload whose every byte is stored but whose commit did not
    /// happen (its node died) is finished first.
    private func offset(_ request: Request, context: NodeRequestContext) async throws -> Response {
        try TusProtocol.requireVersion(request.headers)
        let upload = try await operations.current(request, context: context)
        if upload.offset == upload.length { try await appender.finish(upload) }
        return Response(
            status: .ok,
            headers: [
                TusProtocol.Header.uploadOffset: String(upload.offset),
                TusProtocol.Header.uploadLength: String(upload.length),
                TusProtocol.Header.uploadExpires: TusProtocol.expires(upload.expiresAt),
                .cacheControl: "no-store",
            ])
    }

    /// `PATCH`: appends the body at `Upload-Offset`.
    private func append(_ request: Request, context: NodeRequestContext) async throws -> Response {
        try await AuditedUpload.run(operation: "tus_patch", context: context, drain: drain) { audit in
            try TusProtocol.requireVersion(request.headers)
            try requireOffsetContentType(request)
            var upload = try await operations.current(request, context: context)
            audit.userID = upload.userID
            audit.fileName = upload.fileName
            let offset = try TusProtocol.integer(TusProtocol.Header.uploadOffset, in: request.headers)
            guard offset == upload.offset else { throw CoreStoreError(.uploadOffsetMismatch) }
            let start = upload.offset
            if upload.offset == upload.length, (request.declaredLength ?? 0) == 0 {
                try await appender.finish(upload)
            } else {
                upload = try await appendBody(request, to: upload, context: context).upload
            }
            audit.bytes = upload.offset - start
            return Response(
                status: .noContent,
                headers: [
                    TusProtocol.Header.uploadOffset: String(upload.offset),
                    TusProtocol.Header.uploadExpires: TusProtocol.expires(upload.expiresAt),
                ])
        }
    }

    /// `DELETE`: terminates the upload (its parts, tail and row are removed).
    private func terminate(_ request: Request, context: NodeRequestContext) async throws -> Response {
        try TusProtocol.requireVersion(request.headers)
        let upload = try await operations.current(request, context: context, allowExpired: true)
        try await appender.discard(upload)
        return Response(status: .noContent)
    }

    // MARK: - Helpers

    /// Appends the body with the request's `Upload-Checksum` (``ResumableUploadOperations``).
    private func appendBody(
        _ request: Request, to upload: ResumableUpload, context: NodeRequestContext
    ) async throws -> ResumableAppendResult {
        let checksum = try request.headers[TusProtocol.Header.uploadChecksum].map { text throws(CoreStoreError) in
            try RequestChecksum(header: text)
        }
        return try await operations.appendBody(request, to: upload, context: context, checksum: checksum)
    }

    private func requireOffsetContentType(_ request: Request) throws(CoreStoreError) {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
        guard type?.lowercased() == TusProtocol.offsetContentType else { throw CoreStoreError(.unsupportedMediaType) }
    }

    /// `/upload_download_service/uploads/<uid>/<id>`, the uid percent-encoded (`.`/`..` as `%2E`).
    static func location(of upload: ResumableUpload, userID: UserID) -> String {
        "/upload_download_service/uploads/\(ObjectKey.encodedUser(userID))/\(upload.id)"
    }
}

/// Puts `Tus-Resumable` on every answer of the tus routes and renders their errors there (with
/// `Tus-Version` on a 412), in the service's JSON error format.
struct TusResponseMiddleware: RouterMiddleware {
    typealias Context = NodeRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let storeError = ErrorResponse.coreStoreError(from: error)
            if storeError.code == .internalError {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            }
            response = ErrorResponse.response(for: storeError)
            if storeError.code == .unsupportedProtocolVersion {
                response.headers[TusProtocol.Header.tusVersion] = TusProtocol.version
            }
        }
        response.headers[TusProtocol.Header.tusResumable] = TusProtocol.version
        return response
    }
}
