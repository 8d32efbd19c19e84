import CoreStore
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NodeHTTP

/// A refused draft request that tells the client where its upload stands (the `409`s:
/// `Upload-Offset` and `Upload-Complete` / `Upload-Incomplete` of the upload's current state).
struct ResumableDraftRejection: Error {
    /// What was refused.
    let error: CoreStoreError
    /// The upload's state when the refusal was answered.
    let upload: ResumableUpload
}

/// Renders errors of the draft's requests: the service's JSON error (status from the one error
/// table), `Upload-Draft-Interop-Version`, and for a ``ResumableDraftRejection`` the upload's
/// progress headers.
enum ResumableDraftResponses {
    /// The error response (counted and logged like ``ErrorRenderingMiddleware`` does).
    static func error(_ error: any Error, version: ResumableDraftProtocol.InteropVersion, logger: Logger) -> Response {
        let rejection = error as? ResumableDraftRejection
        let storeError = rejection?.error ?? ErrorResponse.coreStoreError(from: error)
        Counter(label: "uds_http_errors_total", dimensions: [("code", storeError.code.rawValue)]).increment()
        if storeError.code == .internalError {
            logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
        }
        var response = ErrorResponse.response(for: storeError)
        if let upload = rejection?.upload {
            response.headers.append(
                contentsOf: ResumableDraftProtocol.progress(
                    offset: upload.offset, complete: upload.offset == upload.length, version: version))
        } else {
            response.headers[ResumableDraftProtocol.Header.interopVersion] = String(version.rawValue)
        }
        return response
    }
}

/// Puts `Upload-Draft-Interop-Version` (the request's, else 6) on every answer of the upload
/// resource and renders its errors with ``ResumableDraftResponses``.
struct ResumableDraftResponseMiddleware: RouterMiddleware {
    typealias Context = NodeRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let version = (try? ResumableDraftProtocol.version(of: request.headers)) ?? .latest
        do {
            var response = try await next(request, context)
            response.headers[ResumableDraftProtocol.Header.interopVersion] = String(version.rawValue)
            return response
        } catch {
            return ResumableDraftResponses.error(error, version: version, logger: context.logger)
        }
    }
}
