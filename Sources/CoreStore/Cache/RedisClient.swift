public import Logging
public import NIOCore
import Synchronization

/// A small blocking Redis client over hiredis: a pool of connections, a circuit breaker, typed helpers.
///
/// Every command runs on the ``BlockingPool``. A connection is used by one thread at a time and
/// is reconnected on next use after it broke. After a connection failure the client fails fast
/// with `.cacheUnavailable` for ``Configuration/failureBackoff`` instead of waiting on connect
/// timeouts, then lets a single probe command through: Redis being down never slows requests.
public final class RedisClient: Sendable {
    /// Where the server is and how patient to be with it.
    public struct Configuration: Sendable {
        /// `redis://[[user]:password@]host[:port][/db]`.
        public var url: String
        /// Bound on a TCP connect.
        public var connectTimeout: Duration
        /// Bound on each socket read or write of a command.
        public var commandTimeout: Duration
        /// How long to fail fast after a connection failure.
        public var failureBackoff: Duration
        /// Idle connections kept for reuse (busy ones are bounded by the blocking pool's threads).
        public var maxIdleConnections: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - url: `redis://[[user]:password@]host[:port][/db]`.
        ///   - connectTimeout: Bound on a TCP connect (default 500 ms).
        ///   - commandTimeout: Bound on each socket read or write (default 1 s).
        ///   - failureBackoff: Fail-fast window after a connection failure (default 5 s).
        ///   - maxIdleConnections: Idle connections kept (default 8).
        public init(
            url: String, connectTimeout: Duration = .milliseconds(500), commandTimeout: Duration = .seconds(1),
            failureBackoff: Duration = .seconds(5), maxIdleConnections: Int = 8
        ) {
            self.url = url
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.failureBackoff = failureBackoff
            self.maxIdleConnections = maxIdleConnections
        }
    }

    private struct PoolState {
        var idle: [RedisConnection] = []
        var generation: UInt64 = 0
        var unavailableUntil: ContinuousClock.Instant?
        var probeInFlight = false
    }

    private let configuration: Configuration
    private let endpoint: RedisConnection.Endpoint
    private let blockingPool: BlockingPool
    private let logger: Logger
    private let state = Mutex(PoolState())

    /// Creates a client; connects lazily on the first command.
    /// - Parameters:
    ///   - configuration: URL, timeouts and back-off.
    ///   - blockingPool: Where the blocking hiredis calls run.
    ///   - logger: Receives connection failures (with hiredis's detail) and breaker transitions.
    /// - Throws: `CoreStoreError(.internalError)` when the URL cannot be parsed.
    public init(configuration: Configuration, blockingPool: BlockingPool, logger: Logger) throws(CoreStoreError) {
        guard let endpoint = RedisConnection.Endpoint(url: configuration.url) else {
            logger.error("invalid redis url")
            throw CoreStoreError(.internalError, "invalid redis URL")
        }
        self.configuration = configuration
        self.endpoint = endpoint
        self.blockingPool = blockingPool
        self.logger = logger
    }

    /// `false` while the breaker is open (a recent connection failure); for metrics and readiness.
    public var isHealthy: Bool { state.withLock { $0.unavailableUntil == nil } }

    /// Runs one command.
    /// - Parameter arguments: The command name and arguments, each as raw bytes.
    /// - Returns: The reply; an error reply (`-ERR …`) is returned, not thrown.
    /// - Throws: `CoreStoreError(.cacheUnavailable)` when Redis cannot be reached (immediately while the breaker is open).
    public func execute(_ arguments: [ByteBuffer]) async throws -> RedisValue {
        guard !arguments.isEmpty, !isFailingFast() else { throw CoreStoreError(.cacheUnavailable) }
        do {
            return try await blockingPool.run { [self] in try executeBlocking(arguments) }
        } catch let error as CoreStoreError {
            throw error
        } catch {
            logger.warning("redis command not run", metadata: ["redis.error": "\(error)"])
            throw CoreStoreError(.cacheUnavailable)
        }
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

// MARK: - Pool and circuit breaker (blocking side)

extension RedisClient {
    private func isFailingFast() -> Bool {
        state.withLock { state in
            guard let until = state.unavailableUntil else { return false }
            return ContinuousClock.now < until || state.probeInFlight
        }
    }

    /// Runs a command on a pool thread: check out (or connect), execute, check in. A reused
    /// connection that died while idle (server restarted) is retried once on a fresh one.
    private func executeBlocking(_ arguments: [ByteBuffer]) throws(CoreStoreError) -> RedisValue {
        let isProbe = try admit()
        defer { if isProbe { state.withLock { $0.probeInFlight = false } } }
        let (connection, reused) = try checkOut()
        do {
            let reply = try connection.execute(arguments)
            checkIn(connection)
            return reply
        } catch {
            guard reused, !connection.lastFailureWasTimeout else {
                tripBreaker()
                throw error
            }
        }
        dropIdleConnections()
        let fresh = try connect()
        do {
            let reply = try fresh.execute(arguments)
            checkIn(fresh)
            return reply
        } catch {
            tripBreaker()
            throw error
        }
    }

    /// Lets a command through unless the breaker is open; returns whether it is the half-open probe.
    private func admit() throws(CoreStoreError) -> Bool {
        let verdict: Bool? = state.withLock { state in
            guard let until = state.unavailableUntil else { return false }
            if ContinuousClock.now < until || state.probeInFlight { return nil }
            state.probeInFlight = true
            return true
        }
        guard let verdict else { throw CoreStoreError(.cacheUnavailable) }
        return verdict
    }

    private func checkOut() throws(CoreStoreError) -> (RedisConnection, reused: Bool) {
        if let idle = state.withLock({ $0.idle.popLast() }) { return (idle, true) }
        return (try connect(), false)
    }

    private func connect() throws(CoreStoreError) -> RedisConnection {
        let generation = state.withLock { $0.generation }
        do {
            return try RedisConnection(
                endpoint: endpoint, connectTimeout: configuration.connectTimeout,
                commandTimeout: configuration.commandTimeout, generation: generation, logger: logger)
        } catch {
            tripBreaker()
            throw error
        }
    }

    /// Returns a connection after a successful command (which also closes the breaker).
    private func checkIn(_ connection: RedisConnection) {
        let recovered: Bool = state.withLock { state in
            let wasDown = state.unavailableUntil != nil
            state.unavailableUntil = nil
            if !connection.isBroken, connection.generation == state.generation,
                state.idle.count < configuration.maxIdleConnections
            {
                state.idle.append(connection)
            }
            return wasDown
        }
        if recovered { logger.info("redis reachable again") }
    }

    /// Opens the breaker and drops every idle connection (they were made before the failure).
    private func tripBreaker() {
        let (stale, wasClosed): ([RedisConnection], Bool) = state.withLock { state in
            let wasClosed = state.unavailableUntil == nil
            state.unavailableUntil = ContinuousClock.now + configuration.failureBackoff
            state.generation &+= 1
            defer { state.idle.removeAll() }
            return (state.idle, wasClosed)
        }
        _ = stale  // freed here, outside the lock
        if wasClosed {
            logger.warning(
                "redis unavailable, failing fast", metadata: ["redis.backoff": "\(configuration.failureBackoff)"])
        }
    }

    private func dropIdleConnections() {
        let stale = state.withLock { state in
            state.generation &+= 1
            defer { state.idle.removeAll() }
            return state.idle
        }
        _ = stale
    }
}
