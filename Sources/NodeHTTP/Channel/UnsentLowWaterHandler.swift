import NIOCore
import NIOHTTPTypes

#if canImport(Glibc)
    import Glibc
#endif

/// How many unsent bytes a connection's socket may queue (`TCP_NOTSENT_LOWAT`), by how many
/// connections the node has open when a request arrives.
///
/// Without a cap, `sendfile` of a 5 MiB response fills the socket's send buffer, and the client's
/// ACKs push the queued bytes out, in the client's time. At 1000 connections on the benchmark box
/// the client then spent ~3 ms per response against ~2 ms for nginx's responses, and the node
/// served 0.7× nginx's hits. With the queue capped at 256 KiB the node sends into an open window
/// itself and serves more than nginx. With few connections a cap costs wakeups and tail latency,
/// so by default a quiet node uses none (docs/decisions/0014 has the measurements).
struct UnsentLowWater: Sendable, Equatable {
    /// The cap while at most ``busyConnections`` connections are open (0: the kernel's default, no cap).
    var quietBytes: Int
    /// The cap once more are open (0: no cap).
    var busyBytes: Int
    /// Open connections above which the node counts as busy.
    var busyConnections: Int

    /// Whether any cap is set (with none, connections need no handler).
    var capsAnything: Bool { quietBytes > 0 || busyBytes > 0 }

    /// The cap for a request that arrives while `openConnections` connections are open.
    func bytes(openConnections: Int) -> Int {
        openConnections > busyConnections ? busyBytes : quietBytes
    }

    /// The `TCP_NOTSENT_LOWAT` socket option.
    static let option = ChannelOptions.Types.SocketOption(level: .tcp, name: .init(rawValue: TCP_NOTSENT_LOWAT))
}

/// Sets a connection's ``UnsentLowWater`` cap when the connection opens and again at each request
/// head when the node's load has changed, so a connection opened in a quiet moment follows the
/// node into a busy one.
final class UnsentLowWaterHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let policy: UnsentLowWater
    private let openConnections: @Sendable () -> Int
    private var applied = 0

    /// Creates the handler for one connection.
    /// - Parameters:
    ///   - policy: The caps.
    ///   - openConnections: The node's open connections right now.
    init(policy: UnsentLowWater, openConnections: @escaping @Sendable () -> Int) {
        self.policy = policy
        self.openConnections = openConnections
    }

    /// Applies the cap for the current load (a no-op when it is already set).
    func apply(to channel: any Channel) throws {
        let bytes = policy.bytes(openConnections: openConnections())
        guard bytes != applied else { return }
        try channel.syncOptions?.setOption(UnsentLowWater.option, value: bytes)
        applied = bytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { try? apply(to: context.channel) }
        context.fireChannelRead(data)
    }
}
