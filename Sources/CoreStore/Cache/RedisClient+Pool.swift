import Logging
import NIOCore
import Synchronization

// MARK: - Pool and circuit breaker

extension RedisClient {
    func isFailingFast() -> Bool {
        state.withLock { state in
            if state.isClosed { return true }
            guard let until = state.unavailableUntil else { return false }
            return ContinuousClock.now < until || state.probeInFlight
        }
    }

    /// Check out (or connect), execute, check in. A reused connection that died while idle
    /// (server restarted) is retried once on a fresh one.
    func executePooled(_ arguments: [ByteBuffer]) async throws(CoreStoreError) -> RedisValue {
        let isProbe = try admit()
        defer { if isProbe { state.withLock { $0.probeInFlight = false } } }
        await acquirePermit()
        defer { releasePermit() }
        if !isProbe, state.withLock({ $0.isClosed || $0.unavailableUntil != nil }) {
            throw CoreStoreError(.cacheUnavailable)  // the breaker opened while this command waited
        }
        let (connection, reused) = try await checkOut()
        do {
            let reply = try await connection.execute(arguments)
            checkIn(connection)
            return reply
        } catch {
            guard reused, !connection.lastFailureWasTimeout else {
                tripBreaker()
                throw error
            }
        }
        dropIdleConnections()
        let fresh = try await connect()
        do {
            let reply = try await fresh.execute(arguments)
            checkIn(fresh)
            return reply
        } catch {
            tripBreaker()
            throw error
        }
    }

    /// Waits until fewer than ``Configuration/maxConnections`` commands are in flight.
    private func acquirePermit() async {
        let granted = state.withLock { state in
            guard state.busy < configuration.maxConnections else { return false }
            state.busy += 1
            return true
        }
        if granted { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let grantedNow = state.withLock { state in
                guard state.busy < configuration.maxConnections else {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy += 1
                return true
            }
            if grantedNow { continuation.resume() }
        }
    }

    /// Hands the permit to the first waiter, or returns it.
    private func releasePermit() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.busy -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }

    /// Lets a command through unless the breaker is open; returns whether it is the half-open probe.
    private func admit() throws(CoreStoreError) -> Bool {
        let verdict: Bool? = state.withLock { state in
            if state.isClosed { return nil }
            guard let until = state.unavailableUntil else { return false }
            if ContinuousClock.now < until || state.probeInFlight { return nil }
            state.probeInFlight = true
            return true
        }
        guard let verdict else { throw CoreStoreError(.cacheUnavailable) }
        return verdict
    }

    private func checkOut() async throws(CoreStoreError) -> (any RedisConnecting, reused: Bool) {
        if let idle = state.withLock({ $0.idle.popLast() }) { return (idle, true) }
        return (try await connect(), false)
    }

    private func connect() async throws(CoreStoreError) -> any RedisConnecting {
        let generation = state.withLock { $0.generation }
        do {
            return try await transport.connect(
                endpoint: endpoint, configuration: configuration, generation: generation, logger: logger)
        } catch {
            tripBreaker()
            throw error
        }
    }

    /// Returns a connection after a successful command (which also closes the breaker).
    private func checkIn(_ connection: any RedisConnecting) {
        let broken = connection.isBroken
        let recovered: Bool = state.withLock { state in
            let wasDown = state.unavailableUntil != nil
            state.unavailableUntil = nil
            if !broken, !state.isClosed, connection.generation == state.generation,
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
        let (stale, wasClosed): ([any RedisConnecting], Bool) = state.withLock { state in
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
