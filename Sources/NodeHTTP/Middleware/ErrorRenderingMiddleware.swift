import CoreStore
import HTTPTypes
public import Hummingbird
import Logging
import Metrics

/// Turns every thrown error into the contract's JSON error response (the only place that does),
/// counted in `uds_http_errors_total{code}` (every refusal: 429, 413 quota, 408, … by its code).
///
/// Unknown errors become 500 `INTERNAL_ERROR`, are logged with their detail, and are never echoed.
/// When the request body was not (fully) read, `ExpectContinueHandler` closes the connection
/// after the response, so the server never reads a body it rejected.
public struct ErrorRenderingMiddleware: RouterMiddleware {
    /// The node's request context.
    public typealias Context = NodeRequestContext

    /// Creates the middleware.
    public init() {}

    /// Passes the request on and renders a thrown error as the contract's JSON error with its status.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let storeError = ErrorResponse.coreStoreError(from: error)
            Counter(label: "uds_http_errors_total", dimensions: [("code", storeError.code.rawValue)]).increment()
            if storeError.code == .internalError {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            }
            return ErrorResponse.response(for: storeError)
        }
    }
}
