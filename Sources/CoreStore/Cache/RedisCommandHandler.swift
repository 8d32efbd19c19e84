import NIOCore
import NIOSSL
import NIOTLS

/// One command on its way to the server and the promise its reply completes.
struct RedisCommand: Sendable {
    /// The command name and arguments, each as raw bytes.
    var arguments: [ByteBuffer]
    /// Completed with the reply, or failed with a ``RedisChannelError``.
    var reply: EventLoopPromise<RedisValue>
}

/// Why a command on the SwiftNIO connection got no reply; the connection is unusable afterwards.
enum RedisChannelError: Error, CustomStringConvertible {
    /// No reply within the command timeout (the server may be hung); the channel was closed.
    case timedOut
    /// The channel closed (server gone, or the connection's owner closed it).
    case closed
    /// A reply arrived that no command asked for.
    case unexpectedReply
    /// The pipeline failed (TLS handshake or certificate refused, protocol error, I/O error).
    case failed(any Error)

    var description: String {
        switch self {
        case .timedOut: "no reply within the command timeout"
        case .closed: "connection closed"
        case .unexpectedReply: "reply without a command"
        case .failed(let error): "\(error)"
        }
    }
}

/// The last handler of a Redis channel: writes each ``RedisCommand`` as a RESP array of bulk
/// strings, completes the commands' promises in order with the decoded replies, bounds every
/// command by a timeout, and reports the TLS handshake.
///
/// The first failure (error, close, timeout) fails every waiting command and every later one,
/// and closes the channel: a connection that lost its place in the reply stream is never reused.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RedisValue
    typealias OutboundIn = RedisCommand
    typealias OutboundOut = ByteBuffer

    private let commandTimeout: TimeAmount
    private var waiting = CircularBuffer<EventLoopPromise<RedisValue>>()
    private var failure: RedisChannelError?
    private var timeout: Scheduled<Void>?
    /// Completed when the TLS handshake finished (or the channel failed first); `nil` without TLS.
    private let handshake: EventLoopPromise<Void>?

    /// Creates the handler.
    /// - Parameters:
    ///   - commandTimeout: Bound on the wait for each reply.
    ///   - handshake: Completed once TLS is up, failed when the channel fails first.
    init(commandTimeout: TimeAmount, handshake: EventLoopPromise<Void>?) {
        self.commandTimeout = commandTimeout
        self.handshake = handshake
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        if let failure {
            command.reply.fail(failure)
            promise?.fail(failure)
            return
        }
        var buffer = context.channel.allocator.buffer(
            capacity: command.arguments.reduce(16) { $0 + $1.readableBytes + 16 })
        buffer.writeString("*\(command.arguments.count)\r\n")
        for argument in command.arguments {
            buffer.writeString("$\(argument.readableBytes)\r\n")
            buffer.writeImmutableBuffer(argument)
            buffer.writeStaticString("\r\n")
        }
        waiting.append(command.reply)
        if timeout == nil { armTimeout(context: context) }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let reply = waiting.popFirst() else {
            fail(.unexpectedReply, context: context)
            return
        }
        timeout?.cancel()
        timeout = nil
        if !waiting.isEmpty { armTimeout(context: context) }
        reply.succeed(unwrapInboundIn(data))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            handshake?.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(.failed(error), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed, context: context)
        context.fireChannelInactive()
    }

    private func armTimeout(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: commandTimeout) {
            let (handler, context) = loopBound.value
            handler.timeout = nil
            handler.fail(.timedOut, context: context)
        }
    }

    private func fail(_ error: RedisChannelError, context: ChannelHandlerContext) {
        guard failure == nil else { return }
        failure = error
        timeout?.cancel()
        timeout = nil
        handshake?.fail(error)
        while let reply = waiting.popFirst() { reply.fail(error) }
        context.close(promise: nil)
    }
}
