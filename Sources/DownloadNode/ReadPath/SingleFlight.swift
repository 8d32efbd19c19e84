/// Concurrent requests for the same key share one execution of the work.
///
/// The work runs in its own task, so a client that disconnects does not cancel a fetch other
/// requests wait on (and a fetch it started still fills the cache).
actor SingleFlight<Key: Hashable & Sendable, Value: Sendable> {
    private var inFlight: [Key: Task<Value, any Error>] = [:]

    /// Runs `work` for `key`, or joins the run already in flight.
    func run(_ key: Key, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let running = inFlight[key] { return try await running.value }
        let task = Task { try await work() }
        inFlight[key] = task
        let result = await task.result
        inFlight[key] = nil
        return try result.get()
    }
}
