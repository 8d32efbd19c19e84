public import HTTPTypes
public import Hummingbird
import Logging
public import NIOCore

/// The request context of both nodes: Hummingbird's core storage plus the connection, so a
/// route can answer `Expect: 100-continue` only once it has decided to accept the body.
public struct NodeRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connection's channel (`nil` in router-level tests that have none).
    public let channel: (any Channel)?
    /// The peer address as the socket reports it.
    public var remoteAddress: SocketAddress? { channel?.remoteAddress }
    /// The request id (from `X-Request-Id` / `X-Amzn-Trace-Id`, or generated), set by the access log.
    public var requestID: String = ""

    /// Creates the context for a connection.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Streamed bodies are limited by the upload pipeline itself; this only bounds `collectBody`.
    public var maxUploadSize: Int { 64 * 1024 }

    /// Tells the client to send the body (`100 Continue`) if it asked to wait for it.
    public func acceptBody() {
        channel?.triggerUserOutboundEvent(ExpectContinueHandler.SendContinue(), promise: nil)
    }

    /// Sends an informational response (e.g. `104 Upload Resumption Supported`) ahead of the final
    /// one. Without a connection (router-level tests) it does nothing.
    /// - Parameter head: The 1xx response (not 100 or 101).
    public func sendInformational(_ head: HTTPResponse) {
        channel?.triggerUserOutboundEvent(ExpectContinueHandler.SendInformational(head), promise: nil)
    }
}
