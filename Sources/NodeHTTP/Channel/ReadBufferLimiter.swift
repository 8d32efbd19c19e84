import NIOCore

/// Caps the size of each socket read on a connection.
///
/// NIO's default allocator grows a busy connection's reads to 64 KiB, and up to ten reads wait in
/// a connection's inbound queue before back-pressure stops reading: at 1000 uploads that alone is
/// hundreds of MiB. A smaller cap bounds the memory a connection holds while its handler is busy,
/// at the cost of more (cheap) reads.
final class ReadBufferLimiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let maximumBytes: Int

    /// - Parameter maximumBytes: Largest buffer of one read.
    init(maximumBytes: Int) {
        self.maximumBytes = maximumBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let allocator = AdaptiveRecvByteBufferAllocator(
            minimum: 64, initial: min(2048, maximumBytes), maximum: maximumBytes)
        try? context.channel.syncOptions?.setOption(.recvAllocator, value: allocator)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
