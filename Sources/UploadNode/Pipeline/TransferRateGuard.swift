import CoreStore

/// Refuses an upload body that arrives slower than a minimum rate, measured over consecutive
/// windows: a client that announces a large body and trickles it (one byte every 30 s resets any
/// idle timer) would otherwise hold its spool reservation and a connection for as long as it likes.
///
/// Checked as each chunk arrives; a body that sends nothing at all is closed by the connection's
/// idle timeout instead. A body that completes within the first window is never checked, so
/// small bodies are bounded by the window itself: whatever their size, they finish within one
/// window or keep up the rate.
struct TransferRateGuard {
    private let minimumBytesPerSecond: Int64
    private let window: Duration
    private var windowStart: ContinuousClock.Instant
    private var bytesInWindow: Int64 = 0

    /// - Parameters:
    ///   - minimumBytesPerSecond: The slowest average accepted over each window; 0 disables the guard.
    ///   - windowSeconds: The window's length.
    ///   - start: When the body started (the route asked for it).
    init(minimumBytesPerSecond: Int64, windowSeconds: Double, start: ContinuousClock.Instant) {
        self.minimumBytesPerSecond = minimumBytesPerSecond
        self.window = .milliseconds(Int64(max(windowSeconds, 0.001) * 1000))
        self.windowStart = start
    }

    /// Counts `bytes` that arrived at `now`.
    /// - Throws: `.requestTimeout` when the window that just ended averaged below the minimum.
    mutating func record(bytes: Int, at now: ContinuousClock.Instant) throws(CoreStoreError) {
        guard minimumBytesPerSecond > 0 else { return }
        bytesInWindow += Int64(bytes)
        let elapsed = now - windowStart
        guard elapsed >= window else { return }
        let (seconds, attoseconds) = elapsed.components
        let elapsedSeconds = Double(seconds) + Double(attoseconds) / 1e18
        if Double(bytesInWindow) < Double(minimumBytesPerSecond) * elapsedSeconds {
            throw CoreStoreError(.requestTimeout)
        }
        windowStart = now
        bytesInWindow = 0
    }
}
