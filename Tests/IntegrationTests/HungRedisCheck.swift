import CoreStore
import TestSupport
import Testing

/// What a client of a hung redis-server (stopped with SIGSTOP, its sockets open) must do: the
/// first call costs one command timeout (the client was made with 300 ms), the next fails at once.
enum HungRedisCheck {
    /// Pauses `server` and checks `redis` against it; the server is resumed before returning.
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
}
