import Logging
import Metrics

/// How every sweeper step reports a failure: a warning and `uds_sweep_failures_total{step}`
/// (docs/operations.md); the step is retried on the next pass.
enum SweepFailures {
    /// Logs `message` with the error and counts it under `step`.
    /// - Parameters:
    ///   - message: What did not happen.
    ///   - step: The metric's `step` label (`pending_deletions`, `resumable_expiry`, …).
    ///   - error: Why.
    ///   - metadata: More log fields (the upload id, the key).
    ///   - logger: The sweeper's logger.
    static func record(
        _ message: Logger.Message, step: String, _ error: any Error, metadata: Logger.Metadata = [:],
        logger: Logger
    ) {
        logger.warning(message, metadata: metadata.merging(["error": "\(error)"]) { $1 })
        Counter(label: "uds_sweep_failures_total", dimensions: [("step", step)]).increment()
    }
}
