import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Synchronization

/// Hummingbird's HTTP/1 child channel, with the memory a connection may buffer set per connection.
///
/// NIO reads a busy connection in reads of up to 64 KiB, up to four per wakeup, and
/// `HTTP1Channel`'s `NIOAsyncChannel` queues up to ten request parts before it stops reading. While
/// an upload's handler is busy, that is up to ~0.8 MiB per connection: most of the node's memory at
/// 1000 concurrent uploads, although a handful of uploads in flight already keep the CPUs busy.
/// So this channel:
/// - gives the first ``ReadPolicy/deepQueueConnections`` open connections a queue of four reads of
///   up to ``ReadPolicy/readBufferBytes``, two per wakeup (few wakeups per byte);
/// - gives connections opened while that many are open the same read size but a queue of one read,
///   one per wakeup: the rest of their bytes wait in the kernel's socket buffer instead of the heap.
///
/// Reads stay full-size on every connection: each chunk costs a task hop, a `pwrite` and a turn
/// of the MD5 queue, so at 1000 uploads halving the read size (as this channel did until
/// docs/decisions/0013) cost 19.9 instead of 12 ms of CPU per 5 MiB upload.
///
/// It also caps the unsent bytes of each socket by the node's load (``UnsentLowWater``), and
/// closes a connection whose peer shut its side while more bytes are on their way than its queue
/// holds (``UnrequestedReadGuard``), and enforces HTTP/1.1 framing and connection persistence
/// above the decoder (``RequestFramingHandler``).
///
/// Everything else (pipeline, decoder limits, idle timeout, request handling) is Hummingbird's.
struct NodeHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    /// How much a connection reads ahead of its handler.
    struct ReadPolicy: Sendable, Equatable {
        /// Largest buffer of one socket read on a deep-queue connection.
        var readBufferBytes: Int
        /// Open connections that get the deep queue.
        var deepQueueConnections: Int

        /// How a connection opened as the `openConnections`-th open connection reads.
        func queue(openConnections: Int) -> Queue {
            openConnections <= deepQueueConnections
                ? Queue(readBytes: readBufferBytes, stopAt: 4, resumeAt: 2, readsPerWakeup: 2)
                : Queue(readBytes: readBufferBytes, stopAt: 1, resumeAt: 1, readsPerWakeup: 1)
        }
    }

    /// One connection's read-ahead: reads of up to `readBytes`; reading stops at `stopAt` queued
    /// parts and resumes once fewer than `resumeAt` are queued (NIO's high/low watermarks;
    /// `resumeAt` must be ≥ 1 or reading never resumes); up to `readsPerWakeup` socket reads each
    /// time the socket is readable.
    struct Queue: Equatable {
        var readBytes: Int
        var stopAt: Int
        var resumeAt: Int
        var readsPerWakeup: UInt

        /// The most bytes the queue holds: also what a connection may be handed unasked
        /// (``UnrequestedReadGuard``).
        var bufferedBytes: Int { readBytes * stopAt }
    }

    /// Connections open right now on this server (one counter per application, so servers in
    /// one process, as in the tests, do not see each other's connections).
    final class OpenConnections: Sendable {
        private let count = Atomic<Int>(0)

        /// Counts a new connection until its channel closes; returns the count including it.
        func open(_ channel: any Channel) -> Int {
            channel.closeFuture.whenComplete { _ in self.count.subtract(1, ordering: .relaxed) }
            return count.add(1, ordering: .relaxed).newValue
        }

        /// Open connections now.
        var current: Int { count.load(ordering: .relaxed) }
    }

    /// The Hummingbird responder the server hands in.
    let responder: HTTPChannelHandler.Responder
    /// Hummingbird's channel settings (additional handlers, idle timeout, decoder limits).
    let configuration: HTTP1Channel.Configuration
    /// How far connections read ahead.
    let readPolicy: ReadPolicy
    /// The unsent-bytes cap of every connection.
    let unsentLowWater: UnsentLowWater
    /// This server's open connections.
    let openConnections: OpenConnections

    /// The server builder to hand to `Application`.
    static func builder(
        configuration: HTTP1Channel.Configuration, readPolicy: ReadPolicy, unsentLowWater: UnsentLowWater
    ) -> HTTPServerBuilder {
        let openConnections = OpenConnections()
        return HTTPServerBuilder { responder in
            NodeHTTP1Channel(
                responder: responder, configuration: configuration, readPolicy: readPolicy,
                unsentLowWater: unsentLowWater, openConnections: openConnections)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let open = openConnections.open(channel)
        let queue = readPolicy.queue(openConnections: open)
        let readBytes = queue.readBytes
        return channel.eventLoop.makeCompletedFuture {
            let allocator = AdaptiveRecvByteBufferAllocator(
                minimum: 64, initial: min(2048, readBytes), maximum: readBytes)
            try channel.syncOptions?.setOption(.recvAllocator, value: allocator)
            try channel.syncOptions?.setOption(.maxMessagesPerRead, value: queue.readsPerWakeup)
            // Only where a cap is set: the handler sees every body chunk of an upload.
            let unsentCap =
                unsentLowWater.capsAnything
                ? UnsentLowWaterHandler(policy: unsentLowWater) { [openConnections] in openConnections.current } : nil
            try unsentCap?.apply(to: channel)
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = configuration.httpDecoder.maxHeaderFieldSize
            limits.maxHeaderListSize = configuration.httpDecoder.maxHeaderListSize
            limits.maxHeaderFieldCount = configuration.httpDecoder.maxHeaderFieldCount
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(UnrequestedReadGuard(limit: queue.bufferedBytes))
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,
                withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: limits)
            try pipeline.addHandler(RequestFramingHandler())
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            if let unsentCap { try pipeline.addHandler(unsentCap) }
            try pipeline.addHandlers(configuration.additionalChannelHandlers())
            try pipeline.addHandler(
                HTTPConnectionStateHandler(idleTimeout: configuration.idleTimeout.map { .init($0) }, logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel,
                configuration: .init(
                    backPressureStrategy: .init(lowWatermark: queue.resumeAt, highWatermark: queue.stopAt),
                    isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
