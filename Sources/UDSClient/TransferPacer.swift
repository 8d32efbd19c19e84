/// Keeps a transfer at or below a rate by sleeping between chunks (and is where it notices cancellation).
struct TransferPacer {
    let bytesPerSecond: Int?
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant

    init(bytesPerSecond: Int?) {
        self.bytesPerSecond = bytesPerSecond
        self.start = clock.now
    }

    /// Sleeps until `transferred` bytes are within the rate; throws `CancellationError` when cancelled.
    func pace(transferred: Int64) async throws {
        try Task.checkCancellation()
        guard let bytesPerSecond, bytesPerSecond > 0 else { return }
        let due = start + .seconds(Double(transferred) / Double(bytesPerSecond))
        if due > clock.now { try await Task.sleep(until: due, clock: clock) }
    }
}
