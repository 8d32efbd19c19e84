import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import TestSupport
import Testing

@testable import NodeHTTP

@Suite("Unrequested read guard")
struct UnrequestedReadGuardTests {
    private func bytes(_ count: Int) -> ByteBuffer { ByteBuffer(repeating: 7, count: count) }

    private func connectedChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: UnrequestedReadGuard(limit: 1024))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    @Test("bytes read on request pass whatever their size")
    func requestedReadsPass() throws {
        let channel = try connectedChannel()
        channel.read()
        try channel.writeInbound(bytes(100_000))
        #expect(channel.isActive)
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 100_000)
    }

    @Test("unrequested bytes pass up to the limit, then the connection is closed and the rest dropped")
    func unrequestedBytesBeyondTheLimitClose() throws {
        let channel = try connectedChannel()
        try channel.writeInbound(bytes(600))
        #expect(channel.isActive)
        try channel.writeInbound(bytes(600))
        #expect(!channel.isActive)
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 600)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test("a read asked for while a batch is delivered covers the next batch, and only that one")
    func readDuringBatchCoversNextBatch() throws {
        let channel = try connectedChannel()
        let pipeline = channel.pipeline.syncOperations
        channel.read()
        pipeline.fireChannelRead(NIOAny(bytes(10)))
        channel.read()  // e.g. autoRead from a handler further in
        pipeline.fireChannelReadComplete()
        try channel.writeInbound(bytes(50_000))
        #expect(channel.isActive)
        try channel.writeInbound(bytes(50_000))
        #expect(!channel.isActive)
    }

    /// Counts what reaches the end of a server pipeline; answers "ok" when the client half-closes.
    private final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let received = Atomic<Int>(0)
        let closed = Atomic<Bool>(false)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received.add(unwrapInboundIn(data).readableBytes, ordering: .relaxed)
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            guard case .some(.inputClosed) = event as? ChannelEvent else { return }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "ok")), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) { closed.store(true, ordering: .relaxed) }
    }

    /// Starts a server that never asks to read (autoRead off), so every byte it is handed comes from
    /// NIO's drain at end of file; sends `count` bytes from a blocking socket and shuts its sending
    /// side (`count` must fit the server's receive window). Returns what the server's pipeline
    /// received, whether it closed, and what the client read.
    private func halfCloseAfterSending(_ count: Int, limit: Int) async throws -> (
        received: Int, closed: Bool, reply: String
    ) {
        let collector = Collector()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([UnrequestedReadGuard(limit: limit), collector])
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let answer = PosixSockets.exchange(port: port, request: [UInt8](repeating: 9, count: count), halfClose: true)
        let reply = String(decoding: answer, as: UTF8.self)
        defer { server.close(promise: nil) }
        for _ in 0..<20 where reply.isEmpty && !collector.closed.load(ordering: .relaxed) {
            try await Task.sleep(for: .milliseconds(50))
        }
        return (collector.received.load(ordering: .relaxed), collector.closed.load(ordering: .relaxed), reply)
    }

    @Test("over a socket: a client that half-closes after a small request still gets its answer")
    func smallHalfClosedRequestIsAnswered() async throws {
        let result = try await halfCloseAfterSending(10_000, limit: 64 * 1024)
        #expect(result.received == 10_000)
        #expect(result.reply == "ok")
    }

    @Test("over a socket: a client that half-closes with more unread than the limit is cut off at the limit")
    func largeHalfClosedRequestIsCut() async throws {
        // 48 KiB fits the server's default receive window (the FIN follows the last byte), 3× the limit.
        let limit = 16 * 1024
        let result = try await halfCloseAfterSending(48 * 1024, limit: limit)
        #expect(result.closed)
        #expect(result.received <= limit)
        #expect(result.reply == "")
    }
}
