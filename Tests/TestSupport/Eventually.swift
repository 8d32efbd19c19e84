/// Polls `condition` every `interval` until it holds or `timeout` passes: for state another task
/// or process reaches on its own (a restarted node's sweeper, a server coming up, a fill queueing),
/// never as a fixed sleep.
/// - Returns: Whether the condition held in time.
public func eventually(
    timeout: Duration = .seconds(20), interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: interval)
    }
}
