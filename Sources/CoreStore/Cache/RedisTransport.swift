import Logging
import NIOCore
import NIOSSL

/// What carries a ``RedisClient``'s connections, chosen by the URL's scheme.
enum RedisTransport: Sendable {
    /// `redis://`: hiredis, its blocking calls on the pool.
    case hiredis(BlockingPool)
    /// `rediss://`: a SwiftNIO channel with TLS.
    case channel(tls: NIOSSLContext, group: any EventLoopGroup)

    /// Opens one connection (with `AUTH` and `SELECT` from the endpoint).
    /// - Throws: `CoreStoreError(.cacheUnavailable)` when the server cannot be reached, is not
    ///   trusted, or refuses the login.
    func connect(
        endpoint: RedisEndpoint, configuration: RedisClient.Configuration, generation: UInt64, logger: Logger
    ) async throws(CoreStoreError) -> any RedisConnecting {
        switch self {
        case .hiredis(let pool):
            try await HiredisPooledConnection.connect(
                endpoint: endpoint, connectTimeout: configuration.connectTimeout,
                commandTimeout: configuration.commandTimeout, generation: generation, pool: pool, logger: logger)
        case .channel(let tls, let group):
            try await RedisChannelConnection.connect(
                endpoint: endpoint, tls: tls, group: group, connectTimeout: configuration.connectTimeout,
                commandTimeout: configuration.commandTimeout, generation: generation, logger: logger)
        }
    }
}
