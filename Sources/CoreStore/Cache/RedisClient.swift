public import Logging
public import NIOCore
import NIOPosix
public import NIOSSL
import Synchronization

/// A small Redis client: a pool of connections, a circuit breaker, typed helpers.
///
/// `redis://` URLs are served by hiredis, whose blocking calls run on the ``BlockingPool``;
/// `rediss://` URLs by a SwiftNIO channel with TLS (``Configuration/tls``), which blocks no thread
/// (docs/decisions/0021). A connection runs one command at a time and is reconnected on next use
/// after it broke. After a connection failure the client fails fast with `.cacheUnavailable` for
/// ``Configuration/failureBackoff`` instead of waiting on connect timeouts, then lets a single
/// probe command through: Redis being down never slows requests.
public final class RedisClient: Sendable {
    /// Where the server is and how patient to be with it.
    public struct Configuration: Sendable {
        /// `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS.
        public var url: String
        /// TLS settings for a `rediss://` URL: trust roots (a CA file instead of the system store),
        /// a client certificate and key. `nil` trusts the system store. Whatever is given, TLS 1.2
        /// is the least version and the server certificate and host name are verified
        /// (``RedisClient/init(configuration:blockingPool:eventLoopGroup:logger:)`` enforces it).
        public var tls: TLSConfiguration?
        /// Bound on a TCP connect, and separately on a TLS handshake.
        public var connectTimeout: Duration
        /// Bound on each socket read or write of a command (TLS: on the wait for each reply).
        public var commandTimeout: Duration
        /// How long to fail fast after a connection failure.
        public var failureBackoff: Duration
        /// Idle connections kept for reuse.
        public var maxIdleConnections: Int
        /// Commands (hence connections) in flight at once; more wait for one to finish. hiredis
        /// is also bounded by the blocking pool's threads, a TLS channel by nothing else.
        public var maxConnections: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - url: `redis://[[user]:password@]host[:port][/db]`, or `rediss://…` for TLS.
        ///   - tls: TLS settings for `rediss://` (default: the system trust store).
        ///   - connectTimeout: Bound on a TCP connect, and on a TLS handshake (default 500 ms).
        ///   - commandTimeout: Bound on each socket read or write (default 1 s).
        ///   - failureBackoff: Fail-fast window after a connection failure (default 5 s).
        ///   - maxIdleConnections: Idle connections kept (default 8).
        ///   - maxConnections: Commands in flight at once (default 64, the node's default blocking threads).
        public init(
            url: String, tls: TLSConfiguration? = nil, connectTimeout: Duration = .milliseconds(500),
            commandTimeout: Duration = .seconds(1), failureBackoff: Duration = .seconds(5), maxIdleConnections: Int = 8,
            maxConnections: Int = 64
        ) {
            self.url = url
            self.tls = tls
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.failureBackoff = failureBackoff
            self.maxIdleConnections = maxIdleConnections
            self.maxConnections = max(1, maxConnections)
        }
    }

    struct PoolState {
        var idle: [any RedisConnecting] = []
        var generation: UInt64 = 0
        var unavailableUntil: ContinuousClock.Instant?
        var probeInFlight = false
        /// Set when the client's service stopped: every command fails fast from then on.
        var isClosed = false
        /// Commands holding one of the ``Configuration/maxConnections`` permits.
        var busy = 0
        /// Commands waiting for a permit, first come first served.
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let configuration: Configuration
    let endpoint: RedisEndpoint
    let transport: RedisTransport
    let logger: Logger
    let state = Mutex(PoolState())

    /// Creates a client; connects lazily on the first command.
    /// - Parameters:
    ///   - configuration: URL, TLS settings, timeouts and back-off.
    ///   - blockingPool: Where the blocking hiredis calls of a `redis://` URL run.
    ///   - eventLoopGroup: Where the channels of a `rediss://` URL run (default: NIO's singleton group).
    ///   - logger: Receives connection failures (with hiredis's or NIOSSL's detail) and breaker transitions.
    /// - Throws: `CoreStoreError(.internalError)` when the URL cannot be parsed, TLS settings come
    ///   with a `redis://` URL, or NIOSSL refuses the TLS settings (unreadable trust roots, a key
    ///   that does not match the certificate).
    public init(
        configuration: Configuration, blockingPool: BlockingPool, eventLoopGroup: (any EventLoopGroup)? = nil,
        logger: Logger
    ) throws(CoreStoreError) {
        guard let endpoint = RedisEndpoint(url: configuration.url) else {
            logger.error("invalid redis url")
            throw CoreStoreError(.internalError, "not a redis:// or rediss:// URL")
        }
        if endpoint.usesTLS {
            let context = try Self.makeTLSContext(configuration.tls, logger: logger)
            transport = .channel(tls: context, group: eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton)
        } else {
            guard configuration.tls == nil else {
                logger.error("redis TLS settings without a rediss url")
                throw CoreStoreError(.internalError, "redis TLS settings need a rediss:// URL")
            }
            transport = .hiredis(blockingPool)
        }
        self.configuration = configuration
        self.endpoint = endpoint
        self.logger = logger
    }

    /// Whether commands travel over TLS (a `rediss://` URL).
    public var usesTLS: Bool { endpoint.usesTLS }

    /// `false` while the breaker is open (a recent connection failure); for metrics and readiness.
    public var isHealthy: Bool { state.withLock { $0.unavailableUntil == nil } }

    /// Runs one command.
    /// - Parameter arguments: The command name and arguments, each as raw bytes.
    /// - Returns: The reply; an error reply (`-ERR …`) is returned, not thrown.
    /// - Throws: `CoreStoreError(.cacheUnavailable)` when Redis cannot be reached (immediately while the breaker is open).
    public func execute(_ arguments: [ByteBuffer]) async throws -> RedisValue {
        guard !arguments.isEmpty, !isFailingFast() else { throw CoreStoreError(.cacheUnavailable) }
        return try await executePooled(arguments)
    }

    /// Runs one command given as text words (for binary arguments pass `ByteBuffer`s).
    /// - Parameter words: The command name and arguments.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    public func execute(_ words: String...) async throws -> RedisValue {
        try await execute(words.map { ByteBuffer(string: $0) })
    }

    /// `GET key`.
    /// - Returns: The value, or `nil` when the key does not exist.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`, also for an error reply (e.g. `WRONGTYPE`).
    public func get(_ key: String) async throws -> ByteBuffer? {
        switch try await execute([ByteBuffer(string: "GET"), ByteBuffer(string: key)]) {
        case .bulk(let value): return value
        case .null: return nil
        case let other: throw unexpected(other, command: "GET")
        }
    }

    /// `SET key value [EX ttl]`.
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The bytes.
    ///   - ttlSeconds: Expiry in seconds; `nil` keeps the key until deleted or evicted.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    public func set(_ key: String, value: ByteBuffer, ttlSeconds: Int? = nil) async throws {
        var arguments = [ByteBuffer(string: "SET"), ByteBuffer(string: key), value]
        if let ttlSeconds { arguments += [ByteBuffer(string: "EX"), ByteBuffer(string: String(max(1, ttlSeconds)))] }
        let reply = try await execute(arguments)
        guard case .status("OK") = reply else { throw unexpected(reply, command: "SET") }
    }

    /// `APPEND key value`.
    /// - Returns: The length of the value after the append.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    @discardableResult
    public func append(_ key: String, value: ByteBuffer) async throws -> Int64 {
        let reply = try await execute([ByteBuffer(string: "APPEND"), ByteBuffer(string: key), value])
        guard case .integer(let length) = reply else { throw unexpected(reply, command: "APPEND") }
        return length
    }

    /// `RENAME source destination` (replaces `destination`, keeps `source`'s expiry).
    /// - Throws: `CoreStoreError(.cacheUnavailable)`, also when `source` does not exist.
    public func rename(_ source: String, to destination: String) async throws {
        let reply = try await execute("RENAME", source, destination)
        guard case .status("OK") = reply else { throw unexpected(reply, command: "RENAME") }
    }

    /// `EXPIRE key seconds`.
    /// - Returns: Whether the key existed.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    @discardableResult
    public func expire(_ key: String, seconds: Int) async throws -> Bool {
        let reply = try await execute("EXPIRE", key, String(max(1, seconds)))
        guard case .integer(let existed) = reply else { throw unexpected(reply, command: "EXPIRE") }
        return existed == 1
    }

    /// `DEL key …`.
    /// - Returns: How many keys existed.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        let reply = try await execute([ByteBuffer(string: "DEL")] + keys.map { ByteBuffer(string: $0) })
        guard case .integer(let count) = reply else { throw unexpected(reply, command: "DEL") }
        return Int(count)
    }

    /// `PING`.
    /// - Throws: `CoreStoreError(.cacheUnavailable)` unless the server answers `PONG`.
    public func ping() async throws {
        let reply = try await execute("PING")
        guard case .status("PONG") = reply else { throw unexpected(reply, command: "PING") }
    }

    private func unexpected(_ reply: RedisValue, command: String) -> CoreStoreError {
        let detail: String = if case .error(let text) = reply { text } else { "unexpected reply kind" }
        logger.warning("redis command refused", metadata: ["redis.command": "\(command)", "redis.error": "\(detail)"])
        return CoreStoreError(.cacheUnavailable)
    }
}
