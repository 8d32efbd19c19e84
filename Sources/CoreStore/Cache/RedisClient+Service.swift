import Logging
public import ServiceLifecycle
import Synchronization

extension RedisClient: Service {
    /// Runs until graceful shutdown (or cancellation), then closes the idle connections; commands
    /// fail fast with `.cacheUnavailable` from then on. Register it before the parts that use it:
    /// a service group stops its services in reverse order.
    public func run() async throws {
        try? await gracefulShutdown()
        let idle = state.withLock { state in
            state.isClosed = true
            state.generation &+= 1
            defer { state.idle.removeAll() }
            return state.idle
        }
        _ = idle  // closed here, outside the lock
        logger.debug("redis client closed")
    }
}
