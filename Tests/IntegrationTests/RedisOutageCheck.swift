import CoreStore
import TestSupport
import Testing

/// What the Redis client and cache must do when their server fails, checked the same way over plain
/// TCP and over TLS.
enum RedisOutageCheck {
    /// A hung server (stopped with SIGSTOP, its sockets open): the first call costs one command
    /// timeout, the next fails at once. Pauses `server` and resumes it before returning.
    /// - Parameters:
    ///   - redis: A client of `server` made with a 300 ms command timeout and a long backoff.
    ///   - server: The server to pause.
    static func expectOneTimeoutThenFailFast(
        _ redis: RedisClient, on server: RedisServer, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await redis.ping()
        server.pause(true)
        defer { server.pause(false) }

        let first = ContinuousClock.now
        await #expect(throws: CoreStoreError(.cacheUnavailable), sourceLocation: sourceLocation) {
            try await redis.ping()
        }
        let firstDuration = ContinuousClock.now - first
        #expect(firstDuration < .seconds(10), sourceLocation: sourceLocation)
        #expect(firstDuration >= .milliseconds(250), sourceLocation: sourceLocation)

        let second = ContinuousClock.now
        await #expect(throws: CoreStoreError(.cacheUnavailable), sourceLocation: sourceLocation) {
            _ = try await redis.get("k")
        }
        #expect(ContinuousClock.now - second < .seconds(2), sourceLocation: sourceLocation)
    }

    /// A killed server: every cache read fails with `CACHE_UNAVAILABLE` within 5 s, and the client
    /// says it is unhealthy. Kills `server`.
    /// - Parameters:
    ///   - cache: A cache over `redis` holding `id`.
    ///   - id: A blob the cache holds.
    ///   - redis: The cache's client.
    ///   - server: The server to kill.
    static func expectFastFailuresAfterKill(
        _ cache: RedisBlobCache, holding id: FileID, redis: RedisClient, on server: RedisServer,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        await server.kill()
        for attempt in 0..<5 {
            let start = ContinuousClock.now
            await #expect(
                throws: CoreStoreError(.cacheUnavailable), "attempt \(attempt)", sourceLocation: sourceLocation
            ) {
                _ = try await cache.blob(for: id)
            }
            #expect(
                ContinuousClock.now - start < .seconds(5), "attempt \(attempt) returned quickly",
                sourceLocation: sourceLocation)
        }
        #expect(!redis.isHealthy, sourceLocation: sourceLocation)
    }
}
