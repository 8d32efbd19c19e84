import Foundation
import HTTPTypes
public import Hummingbird

/// CORS for a configured list of browser origins, on every response including errors (browsers
/// report a 413 without CORS headers as a network error), and preflight `OPTIONS` answers. With
/// CORS on, every answer carries `Vary: Origin`, also to requests without (or with another) `Origin`.
public struct CORSAllowListMiddleware: RouterMiddleware {
    /// The node's request context.
    public typealias Context = NodeRequestContext

    private let allowed: Set<String>
    private let allowsAny: Bool

    static let allowMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowHeaders =
        "Authorization, Content-Type, Content-MD5, Range, If-Match, If-None-Match, If-Modified-Since, If-Range, "
        + "X-Request-Id, Tus-Resumable, Upload-Length, Upload-Offset, Upload-Metadata, Upload-Checksum, "
        + "Upload-Defer-Length, Upload-Draft-Interop-Version, Upload-Complete, Upload-Incomplete"
    static let exposeHeaders =
        "ETag, Content-Range, Content-Disposition, Content-Length, Retry-After, X-Request-Id, Last-Modified, "
        + "Accept-Ranges, Location, Upload-Offset, Upload-Length, Upload-Expires, Tus-Resumable, Tus-Version, "
        + "Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm, Upload-Draft-Interop-Version, Upload-Complete, "
        + "Upload-Incomplete"

    /// Creates the middleware.
    /// - Parameter origins: Allowed origins (`https://app.example.com`); `*` allows any.
    public init(origins: [String]) {
        allowed = Set(origins)
        allowsAny = origins.contains("*")
    }

    /// Passes the request on and adds the CORS headers to the answer, or answers a preflight `OPTIONS` itself.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin], allowsAny || allowed.contains(origin) else {
            var response = try await next(request, context)
            // The answer would differ for an allowed origin: shared caches must not reuse it there.
            if allowsAny || !allowed.isEmpty { Self.addVaryOrigin(&response.headers) }
            return response
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            decorate(&response.headers, origin: origin)
            response.headers[.accessControlAllowMethods] = Self.allowMethods
            response.headers[.accessControlAllowHeaders] = Self.allowHeaders
            response.headers[.accessControlMaxAge] = "86400"
            return response
        }
        var response = try await next(request, context)
        decorate(&response.headers, origin: origin)
        response.headers[.accessControlExposeHeaders] = Self.exposeHeaders
        return response
    }

    private func decorate(_ headers: inout HTTPFields, origin: String) {
        headers[.accessControlAllowOrigin] = origin
        Self.addVaryOrigin(&headers)
    }

    /// Adds `Origin` to `Vary`, keeping what a route put there.
    private static func addVaryOrigin(_ headers: inout HTTPFields) {
        let present = headers[values: .vary].flatMap { $0.split(separator: ",") }.contains {
            $0.trimmingCharacters(in: .whitespaces).lowercased() == "origin"
        }
        if !present { headers.append(HTTPField(name: .vary, value: "Origin")) }
    }
}
