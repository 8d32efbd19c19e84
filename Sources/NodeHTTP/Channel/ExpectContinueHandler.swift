public import HTTPTypes
public import NIOCore
import NIOHTTP1
public import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Answers `Expect: 100-continue` only when a route accepts the body, and closes the connection
/// instead of reading a body the server has rejected.
///
/// Hummingbird never sends `100 Continue` (curl then stalls 1 s on every upload over 1 MiB) and,
/// after a response, reads whatever is left of the request body to keep the connection alive —
/// for a 413 that could be gigabytes. This handler:
/// - sends `100 Continue` when a route triggers ``SendContinue`` (see `NodeRequestContext.acceptBody()`);
/// - sends any other informational response a route triggers as ``SendInformational`` (the
///   resumable-upload draft's `104`, see `NodeRequestContext.sendInformational(_:)`);
/// - when a final response goes out before the request body has fully arrived, it drops any
///   further body bytes, half-closes after the response (so the client reads it instead of a
///   reset), and closes the connection shortly after.
public final class ExpectContinueHandler: ChannelDuplexHandler, RemovableChannelHandler {
    /// Request parts from the HTTP/1 codec.
    public typealias InboundIn = HTTPRequestPart
    /// Request parts passed on (body parts dropped once the connection is closing).
    public typealias InboundOut = HTTPRequestPart
    /// Response parts from the route.
    public typealias OutboundIn = HTTPResponsePart
    /// Response parts written (with `Connection: close` when the body was not read).
    public typealias OutboundOut = HTTPResponsePart

    /// The user outbound event a route triggers to let the client send its body.
    public struct SendContinue: Sendable {
        /// Creates the event.
        public init() {}
    }

    /// The user outbound event a route triggers to send an informational (1xx, not 100/101)
    /// response ahead of its final one, while the request is still in progress.
    public struct SendInformational: Sendable {
        /// The response head (status 102…199, not 101).
        public let head: HTTPResponse

        /// Creates the event.
        /// - Parameter head: The informational response.
        public init(_ head: HTTPResponse) {
            self.head = head
        }
    }

    private var awaitingContinue = false
    /// Whether the current request's final response head has been written.
    private var finalResponseStarted = false
    private var requestComplete = true
    private var closeAfterResponse = false
    private var discardingBody = false
    private let lingerTime: TimeAmount

    /// Creates a handler (one per connection).
    /// - Parameter lingerTime: How long a rejected connection stays half-open before it is closed.
    public init(lingerTime: TimeAmount = .seconds(2)) {
        self.lingerTime = lingerTime
    }

    /// Tracks whether the request body has fully arrived; drops body parts after a rejection.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let request):
            requestComplete = false
            finalResponseStarted = false
            closeAfterResponse = false
            discardingBody = false
            awaitingContinue = request.headerFields[.expect]?.lowercased() == "100-continue"
        case .body:
            if discardingBody { return }
        case .end:
            requestComplete = true
            if discardingBody { return }
        }
        context.fireChannelRead(data)
    }

    /// Marks a final response sent before the body's end as closing, and closes after it.
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response):
            awaitingContinue = false
            if response.status.code >= 200 { finalResponseStarted = true }
            if response.status.code >= 200, !requestComplete {
                closeAfterResponse = true
                response.headerFields[.connection] = "close"
                context.write(wrapOutboundOut(.head(response)), promise: promise)
                return
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            closeAfterResponse = false
            discardingBody = true
            let channel = context.channel
            let linger = lingerTime
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            written.futureResult.whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
            }
            context.writeAndFlush(data, promise: written)
            // Let Hummingbird's "drain the rest of the body" loop end at once.
            context.fireChannelRead(wrapInboundOut(.end(nil)))
        }
    }

    /// Handles ``SendContinue``, informational responses and file regions; passes other events on.
    public func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        if let file = event as? SendFileRegion {
            sendFile(file, context: context, promise: promise)
            return
        }
        if let informational = event as? SendInformational {
            sendInformational(informational.head, context: context, promise: promise)
            return
        }
        guard event is SendContinue else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        if awaitingContinue {
            awaitingContinue = false
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: promise)
        } else {
            promise?.succeed(())
        }
    }

    /// Writes an informational head while the request is in progress (never after the final
    /// response has started: then it is dropped, since HTTP/1 allows 1xx only before it).
    private func sendInformational(
        _ head: HTTPResponse, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?
    ) {
        guard (102..<200).contains(head.status.code), !finalResponseStarted else {
            promise?.succeed(())
            return
        }
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: promise)
    }

    /// Writes a file region as a body part below the HTTP/1 codec (`HTTPResponseEncoder` passes
    /// `IOData.fileRegion` to the socket, which uses `sendfile`).
    private func sendFile(_ file: SendFileRegion, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let handle: NIOFileHandle
        do {
            switch file.source {
            case .path(let path): handle = try NIOFileHandle(_deprecatedPath: path)
            case .descriptor(let descriptor): handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
            }
        } catch {
            promise?.fail(error)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { _ in try? handle.close() }
        written.futureResult.cascade(to: promise)
        do {
            let codec = try context.pipeline.syncOperations.context(handlerType: HTTP1ToHTTPServerCodec.self)
            let region = FileRegion(
                fileHandle: handle, readerIndex: Int(file.range.lowerBound), endIndex: Int(file.range.upperBound))
            codec.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.fileRegion(region))), promise: written)
        } catch {
            written.fail(error)
        }
    }
}
