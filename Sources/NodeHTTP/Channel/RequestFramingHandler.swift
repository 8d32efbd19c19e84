import CoreStore
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1

/// Enforces HTTP/1.1 message framing and connection persistence (RFC 9112) right above NIO's
/// HTTP/1 decoder, where the request's version and raw header lines are still known:
/// - a request whose framing the node cannot trust is answered here, as the contract's JSON error
///   with `X-Request-Id` and `Connection: close`, and never reaches a route: a parser error between
///   requests (400; 431 for an oversized header section), an HTTP/1.1 request without exactly one
///   `Host` (400; two `Host` lines in any version), `Transfer-Encoding` in an HTTP/1.0 request or
///   beside `Content-Length` (400), a transfer coding other than a lone `chunked` (501);
/// - a parser error in the middle of a body (bad chunk size, short chunk) reaches the route as a
///   ``CoreStoreError`` (400), so the route answers it instead of failing with a 500;
/// - a connection is closed after the response to a request that does not keep it alive
///   (HTTP/1.0 without `Connection: keep-alive`, or `Connection: close`).
///
/// After a rejection nothing more is read from the connection: its output is shut once the
/// answer is written (the client reads the answer instead of a reset) and it is closed shortly after.
final class RequestFramingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How the connection continues after the response to one forwarded request.
    private enum Persistence {
        case keepAlive
        /// HTTP/1.0 with `Connection: keep-alive`: the response says so too.
        case keepAliveHTTP10
        case close
    }

    /// One answer per forwarded request, oldest first.
    private var pending: [Persistence] = []
    /// A forwarded request whose `.end` has not arrived yet.
    private var requestOpen = false
    /// Set once the connection is being rejected: every later inbound part and error is dropped.
    private var rejecting = false
    /// A rejection that waits for the answers to earlier requests.
    private var deferredRejection: (error: CoreStoreError, requestID: String)?
    private let lingerTime: TimeAmount

    /// Creates a handler (one per connection).
    /// - Parameter lingerTime: How long a rejected connection stays half-open before it is closed.
    init(lingerTime: TimeAmount = .seconds(2)) {
        self.lingerTime = lingerTime
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !rejecting else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if let violation = Self.violation(of: head) {
                reject(violation, requestID: Self.requestID(of: head.headers), context: context)
                return
            }
            requestOpen = true
            pending.append(Self.persistence(of: head))
        case .body:
            break
        case .end:
            requestOpen = false
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !rejecting else { return }
        guard let parserError = error as? HTTPParserError, parserError != .invalidEOFState else {
            context.fireErrorCaught(error)
            return
        }
        if requestOpen {
            // In the middle of a body: the route reading it fails with a client error. The
            // decoder reads nothing more, so the connection closes after that answer.
            rejecting = true
            context.fireErrorCaught(Self.storeError(for: parserError))
        } else {
            reject(Self.storeError(for: parserError), requestID: Self.requestID(of: nil), context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200:
            switch pending.first {
            case .close: head.headers.replaceOrAdd(name: "connection", value: "close")
            case .keepAliveHTTP10: head.headers.replaceOrAdd(name: "connection", value: "keep-alive")
            case .keepAlive, nil: break
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where !pending.isEmpty:
            let persistence = pending.removeFirst()
            // An answer to a request whose body is still arriving: ExpectContinueHandler shuts
            // the output and closes the connection after a linger.
            let bodyStillArriving = requestOpen && pending.isEmpty
            guard persistence == .close, !bodyStillArriving else {
                context.write(data, promise: promise)
                if pending.isEmpty, let rejection = deferredRejection {
                    deferredRejection = nil
                    context.flush()
                    sendRejection(rejection.error, requestID: rejection.requestID, context: context)
                }
                return
            }
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            let channel = context.channel
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            context.writeAndFlush(data, promise: written)
        default:
            context.write(data, promise: promise)
        }
    }

    /// Stops reading requests and answers with `error` once earlier answers are out.
    private func reject(_ error: CoreStoreError, requestID: String, context: ChannelHandlerContext) {
        rejecting = true
        if pending.isEmpty {
            sendRejection(error, requestID: requestID, context: context)
        } else {
            deferredRejection = (error, requestID)
        }
    }

    private func sendRejection(_ error: CoreStoreError, requestID: String, context: ChannelHandlerContext) {
        let body = ErrorResponse.body(for: error)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json; charset=utf-8")
        headers.add(name: "content-length", value: String(body.readableBytes))
        headers.add(name: "x-request-id", value: requestID)
        headers.add(name: "connection", value: "close")
        let status = error.code.httpStatus
        let head = HTTPResponseHead(
            version: .http1_1, status: .init(statusCode: status.code, reasonPhrase: status.reasonPhrase),
            headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        let linger = lingerTime
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }

    /// Why a request head cannot be served, if it cannot.
    static func violation(of head: HTTPRequestHead) -> CoreStoreError? {
        let hosts = head.headers["host"].count
        if hosts > 1 || (hosts == 0 && head.version.isAtLeastHTTP11) {
            return CoreStoreError(.badRequest, "exactly one Host header is required")
        }
        let codings = head.headers["transfer-encoding"]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !codings.isEmpty else { return nil }
        if !head.version.isAtLeastHTTP11 {
            return CoreStoreError(.badRequest, "Transfer-Encoding is not allowed in an HTTP/1.0 request")
        }
        if !head.headers["content-length"].isEmpty {
            return CoreStoreError(.badRequest, "Content-Length and Transfer-Encoding must not both be sent")
        }
        if codings != ["chunked"] {
            return CoreStoreError(.notImplemented, "only the chunked transfer coding is supported")
        }
        return nil
    }

    /// The error a route or a client sees for an HTTP/1 parser error.
    static func storeError(for error: HTTPParserError) -> CoreStoreError {
        switch error {
        case .headerOverflow: CoreStoreError(.headersTooLarge)
        case .invalidChunkSize, .lfExpected, .strictModeAssertion:
            CoreStoreError(.badRequest, "malformed chunked request body")
        case .unexpectedContentLength, .invalidContentLength:
            CoreStoreError(.badRequest, "malformed request framing (Content-Length / Transfer-Encoding)")
        default: CoreStoreError(.badRequest, "malformed HTTP request")
        }
    }

    private static func persistence(of head: HTTPRequestHead) -> Persistence {
        guard head.isKeepAlive else { return .close }
        return head.version.isAtLeastHTTP11 ? .keepAlive : .keepAliveHTTP10
    }

    private static func requestID(of headers: HTTPHeaders?) -> String {
        AccessLogMiddleware.requestID(
            header: headers?["x-request-id"].first, traceHeader: headers?["x-amzn-trace-id"].first)
    }
}

extension HTTPVersion {
    /// HTTP/1.1 or a later version (where `Host` is required and `Transfer-Encoding` allowed).
    fileprivate var isAtLeastHTTP11: Bool { major > 1 || (major == 1 && minor >= 1) }
}
