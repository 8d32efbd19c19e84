import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One Redis connection over a SwiftNIO channel, with TLS (NIOSSL) for `rediss://`: the
/// transport hiredis 0.14 cannot provide. Nothing blocks a thread; replies are decoded by
/// ``RESPReplyDecoder`` and matched to commands by ``RedisCommandHandler``.
///
/// The server certificate is verified by the ``NIOSSLContext`` (trust roots, TLS version) and
/// the host name: a DNS name is sent as SNI and must match the certificate; an IP address must
/// match one of its IP subject alternative names. Closing happens on `deinit`.
final class RedisChannelConnection: RedisConnecting {
    let generation: UInt64
    private let channel: any Channel
    private let logger: Logger
    private let failures = Mutex<(broken: Bool, timedOut: Bool)>((false, false))

    var isBroken: Bool { failures.withLock { $0.broken } || !channel.isActive }
    var lastFailureWasTimeout: Bool { failures.withLock { $0.timedOut } }

    private init(channel: any Channel, generation: UInt64, logger: Logger) {
        self.channel = channel
        self.generation = generation
        self.logger = logger
    }

    deinit { channel.close(promise: nil) }

    /// Connects, completes the TLS handshake (within `connectTimeout` too), then sends `AUTH`
    /// and `SELECT` as the endpoint asks.
    /// - Parameters:
    ///   - endpoint: The server.
    ///   - tls: The TLS settings; `nil` speaks plain RESP.
    ///   - group: Where the channel's event loop comes from.
    ///   - connectTimeout: Bound on the TCP connect and, separately, on the TLS handshake.
    ///   - commandTimeout: Bound on the wait for each reply.
    ///   - generation: The owner's pool generation.
    ///   - logger: Receives the cause of a failure (refused connection, certificate not trusted, name mismatch).
    /// - Throws: `CoreStoreError(.cacheUnavailable)` when the server cannot be reached, is not
    ///   trusted, or refuses the login.
    static func connect(
        endpoint: RedisEndpoint, tls: NIOSSLContext?, group: any EventLoopGroup, connectTimeout: Duration,
        commandTimeout: Duration, generation: UInt64, logger: Logger
    ) async throws(CoreStoreError) -> RedisChannelConnection {
        let loop = group.next()
        let handshake: EventLoopPromise<Void>? = tls == nil ? nil : loop.makePromise()
        let serverHostname: String? =
            (try? SocketAddress(ipAddress: endpoint.host, port: 0)) == nil ? endpoint.host : nil
        let replyTimeout = TimeAmount(commandTimeout)
        let metadata: Logger.Metadata = [
            "redis.host": "\(endpoint.host)", "redis.port": "\(endpoint.port)", "redis.tls": "\(tls != nil)",
        ]
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(TimeAmount(connectTimeout))
                .channelOption(.socketOption(.so_keepalive), value: 1)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let tls {
                            try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                        }
                        try pipeline.addHandler(ByteToMessageHandler(RESPReplyDecoder()))
                        try pipeline.addHandler(RedisCommandHandler(commandTimeout: replyTimeout, handshake: handshake))
                    }
                }
                .connect(host: endpoint.host, port: endpoint.port).get()
        } catch {
            handshake?.fail(error)
            logger.warning("redis connect failed", metadata: metadata.merging(["redis.error": "\(error)"]) { $1 })
            throw CoreStoreError(.cacheUnavailable)
        }
        let connection = RedisChannelConnection(channel: channel, generation: generation, logger: logger)
        if let handshake {
            // Both the deadline and the handler complete the promise on the channel's loop, so
            // exactly one wins: a handshake that finished in time is never closed by the deadline.
            let deadline = loop.scheduleTask(in: TimeAmount(connectTimeout)) {
                handshake.fail(RedisChannelError.timedOut)
            }
            handshake.futureResult.whenComplete { result in
                deadline.cancel()
                if case .failure = result { channel.close(promise: nil) }
            }
            do {
                try await handshake.futureResult.get()
            } catch {
                logger.warning(
                    "redis TLS handshake failed", metadata: metadata.merging(["redis.error": "\(error)"]) { $1 })
                throw CoreStoreError(.cacheUnavailable)
            }
        }
        if let password = endpoint.password {
            try await connection.expectOK(["AUTH", endpoint.username, password].compactMap { $0 }, command: "AUTH")
        }
        if endpoint.database != 0 {
            try await connection.expectOK(["SELECT", String(endpoint.database)], command: "SELECT")
        }
        return connection
    }

    func execute(_ arguments: [ByteBuffer]) async throws(CoreStoreError) -> RedisValue {
        // A channel that closed while idle is not refused here: the write fails with the reason
        // the handler kept (a TLS alert, the server closing), which is then logged.
        guard !arguments.isEmpty, !failures.withLock({ $0.broken }) else { throw CoreStoreError(.cacheUnavailable) }
        let reply = channel.eventLoop.makePromise(of: RedisValue.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        // A write that never reaches the handler (channel already closed) must still end the wait.
        written.futureResult.whenFailure { reply.fail(RedisChannelError.failed($0)) }
        channel.writeAndFlush(RedisCommand(arguments: arguments, reply: reply), promise: written)
        do {
            return try await reply.futureResult.get()
        } catch {
            let timedOut = if case .timedOut? = error as? RedisChannelError { true } else { false }
            failures.withLock { $0 = (true, timedOut) }
            logger.warning(
                "redis command failed", metadata: ["redis.error": "\(error)", "redis.timeout": "\(timedOut)"])
            throw CoreStoreError(.cacheUnavailable)
        }
    }

    /// Runs a login command that must answer `+OK`.
    private func expectOK(_ words: [String], command: String) async throws(CoreStoreError) {
        let reply = try await execute(words.map { ByteBuffer(string: $0) })
        guard case .status("OK") = reply else {
            logger.warning("redis login command refused", metadata: ["redis.command": "\(command)"])
            throw CoreStoreError(.cacheUnavailable)
        }
    }
}
