import Logging
import NIOCore

/// A hiredis ``RedisConnection`` driven from async code: every blocking call hops onto the
/// ``BlockingPool``. The plain `redis://` transport.
final class HiredisPooledConnection: RedisConnecting {
    private let connection: RedisConnection
    private let pool: BlockingPool
    private let logger: Logger

    var generation: UInt64 { connection.generation }
    // Read after the pool call that set them returned (the await orders the accesses).
    var isBroken: Bool { connection.isBroken }
    var lastFailureWasTimeout: Bool { connection.lastFailureWasTimeout }

    private init(connection: RedisConnection, pool: BlockingPool, logger: Logger) {
        self.connection = connection
        self.pool = pool
        self.logger = logger
    }

    /// Connects (with `AUTH` and `SELECT` from the endpoint) on a pool thread.
    /// - Parameters:
    ///   - endpoint: The server (`usesTLS` must be `false`).
    ///   - connectTimeout: Bound on the TCP connect.
    ///   - commandTimeout: Bound on each socket read and write of a command.
    ///   - generation: The owner's pool generation.
    ///   - pool: Where the blocking calls run.
    ///   - logger: Receives hiredis's error strings.
    /// - Throws: `CoreStoreError(.cacheUnavailable)` when the server cannot be reached or refuses the login.
    static func connect(
        endpoint: RedisEndpoint, connectTimeout: Duration, commandTimeout: Duration, generation: UInt64,
        pool: BlockingPool, logger: Logger
    ) async throws(CoreStoreError) -> HiredisPooledConnection {
        let connection = try await onPool(pool, logger: logger) {
            try RedisConnection(
                endpoint: endpoint, connectTimeout: connectTimeout, commandTimeout: commandTimeout,
                generation: generation, logger: logger)
        }
        return HiredisPooledConnection(connection: connection, pool: pool, logger: logger)
    }

    func execute(_ arguments: [ByteBuffer]) async throws(CoreStoreError) -> RedisValue {
        try await Self.onPool(pool, logger: logger) { [connection] in try connection.execute(arguments) }
    }

    /// Runs `body` on the pool; a pool that is shut down is an unavailable cache.
    private static func onPool<T: Sendable>(
        _ pool: BlockingPool, logger: Logger, _ body: @escaping @Sendable () throws -> T
    ) async throws(CoreStoreError) -> T {
        do {
            return try await pool.run(body)
        } catch let error as CoreStoreError {
            throw error
        } catch {
            logger.warning("redis command not run", metadata: ["redis.error": "\(error)"])
            throw CoreStoreError(.cacheUnavailable)
        }
    }
}
