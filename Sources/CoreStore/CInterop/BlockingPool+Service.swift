public import ServiceLifecycle

extension BlockingPool: Service {
    /// Runs until graceful shutdown (or cancellation), then stops the pool after the work already
    /// queued has run; calls after that fail at once. Register it before every part that runs
    /// blocking calls on it (SQLite, hiredis, libcurl): a service group stops its services in
    /// reverse order, so the pool stops last.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }
}
