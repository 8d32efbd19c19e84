import Metrics
import NIOCore

/// Closes a connection whose peer has shut its sending side while more of its bytes are on their
/// way than the connection may buffer.
///
/// When a peer's FIN arrives, NIO reads the socket until end of file in one go, whether or not the
/// handlers asked for more (`BaseSocketChannel.readEOF0`): everything still in the socket's receive
/// buffer, and everything the peer's kernel still had queued, lands on the heap at once. When 1000
/// clients of an upload node went away together, that was up to 4 MiB per connection and 271 MB in
/// all, on top of the node's steady 232 MiB (docs/decisions/0016).
///
/// This handler sits first in the pipeline and counts the bytes of socket reads nobody asked for
/// (reads between a `read()` demand and the read batch's `channelReadComplete` are asked for). Up to
/// `limit` such bytes pass, so a client that half-closes after a small request still gets its
/// response; beyond it the connection is closed, which ends NIO's drain loop. Behind a load
/// balancer a peer that stops sending in the middle of a body has gone away.
final class UnrequestedReadGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The most unrequested bytes passed on before the connection is closed.
    let limit: Int
    /// Whether a `read()` covers the current (or next) read batch.
    private var requested = false
    /// Whether a `read()` came while a batch was being delivered: it covers the next batch.
    private var requestedNext = false
    private var inBatch = false
    /// Unrequested bytes passed on so far.
    private var unrequestedBytes = 0

    /// Creates the guard for one connection.
    /// - Parameter limit: The most unrequested bytes passed on (the connection's read-ahead allowance).
    init(limit: Int) {
        self.limit = limit
    }

    func read(context: ChannelHandlerContext) {
        if inBatch { requestedNext = true } else { requested = true }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inBatch = true
        if !requested {
            guard unrequestedBytes <= limit else { return }  // closing: drop the rest
            unrequestedBytes += unwrapInboundIn(data).readableBytes
            guard unrequestedBytes <= limit else {
                Self.closedConnections.increment()
                context.close(promise: nil)
                return
            }
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inBatch = false
        requested = requestedNext
        requestedNext = false
        context.fireChannelReadComplete()
    }

    /// Connections closed by a guard.
    private static let closedConnections = Counter(
        label: "uds_http_connections_closed_total", dimensions: [("reason", "unrequested_read")])
}
