import CoreStore
import Foundation
import HTTPTypes
public import Hummingbird
import Logging
import Metrics
import NIOCore

/// One access log line and the request metrics per request; propagates the request id.
///
/// The id comes from `X-Request-Id`, else the ALB's `X-Amzn-Trace-Id`, else a new one, and is
/// echoed back as `X-Request-Id`. Probes (`/healthz`, `/readyz`, `/metrics`) log at debug.
/// The client address is the socket peer, or the first `X-Forwarded-For` entry when the peer
/// is a configured trusted proxy. Tokens are never logged.
public struct AccessLogMiddleware: RouterMiddleware {
    /// The node's request context.
    public typealias Context = NodeRequestContext

    private let trustedProxies: Set<String>

    /// Creates the middleware.
    /// - Parameter trustedProxies: Peer IPs whose `X-Forwarded-For` is believed.
    public init(trustedProxies: [String]) {
        self.trustedProxies = Set(trustedProxies)
    }

    /// Passes the request on and logs one access line for the request once it is answered.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let requestID = Self.requestID(from: request.headers)
        context.requestID = requestID
        context.logger[metadataKey: "request.id"] = .string(requestID)
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.requestID] = requestID
        let seconds = (ContinuousClock.now - started).secondsValue
        let route = context.endpointPath ?? "unmatched"
        let statusClass = "\(response.status.code / 100)xx"
        Counter(label: "uds_http_requests_total", dimensions: [("route", route), ("status_class", statusClass)])
            .increment()
        Metrics.Timer(
            label: "uds_http_request_duration_seconds", dimensions: [("route", route), ("status_class", statusClass)]
        )
        .recordSeconds(seconds)
        let isProbe = request.uri.path == "/healthz" || request.uri.path == "/readyz" || request.uri.path == "/metrics"
        context.logger.log(
            level: isProbe ? .debug : .info, "access",
            metadata: [
                "http.method": "\(request.method.rawValue)",
                "http.path": "\(request.uri.path)",
                "http.route": "\(route)",
                "http.status": "\(response.status.code)",
                "http.duration_seconds": "\(String(format: "%.6f", seconds))",
                "client.address": "\(clientAddress(request: request, context: context))",
            ])
        return response
    }

    static func requestID(from headers: HTTPFields) -> String {
        requestID(header: headers[.requestID], traceHeader: headers[.amznTraceID])
    }

    /// The request id from the `X-Request-Id` and `X-Amzn-Trace-Id` values (either may be absent):
    /// a client's id of 1 to 200 visible ASCII characters, else a trace id of at most 200 bytes,
    /// else a new id.
    static func requestID(header: String?, traceHeader: String?) -> String {
        if let id = header, !id.isEmpty, id.utf8.count <= 200, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return id
        }
        if let trace = traceHeader, !trace.isEmpty, trace.utf8.count <= 200 { return trace }
        return FileID.generate().rawValue
    }

    private func clientAddress(request: Request, context: Context) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "-"
        if trustedProxies.contains(peer), let forwarded = request.headers[.xForwardedFor] {
            return forwarded.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? peer
        }
        return peer
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    public static let requestID = HTTPField.Name("X-Request-Id")!
    /// `X-Amzn-Trace-Id` (set by the ALB).
    public static let amznTraceID = HTTPField.Name("X-Amzn-Trace-Id")!
    /// `X-Forwarded-For`.
    public static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    /// `Content-MD5` (RFC 1864).
    public static let contentMD5 = HTTPField.Name("Content-MD5")!
}
