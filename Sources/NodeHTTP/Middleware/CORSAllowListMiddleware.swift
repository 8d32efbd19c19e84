import HTTPTypes
public import Hummingbird

/// CORS for a configured list of browser origins, on every response including errors (browsers
/// report a 413 without CORS headers as a network error), and preflight `OPTIONS` answers.
public struct CORSAllowListMiddleware: RouterMiddleware {
    public typealias Context = NodeRequestContext

    private let allowed: Set<String>
    private let allowsAny: Bool

    static let allowMethods = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
    static let allowHeaders = "Authorization, Content-Type, Content-MD5, Range, If-None-Match, If-Modified-Since, If-Range, X-Request-Id"
    static let exposeHeaders = "ETag, Content-Range, Content-Disposition, Content-Length, Retry-After, X-Request-Id, Last-Modified, Accept-Ranges"

    /// Creates the middleware.
    /// - Parameter origins: Allowed origins (`https://app.example.com`); `*` allows any.
    public init(origins: [String]) {
        allowed = Set(origins)
        allowsAny = origins.contains("*")
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin], allowsAny || allowed.contains(origin) else {
            return try await next(request, context)
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
        headers[.vary] = "Origin"
    }
}
