import Logging

/// Bounded retries with exponential backoff and full jitter for `.objectStoreUnavailable` failures.
///
/// Attempt `n` (from 1) that fails retryably sleeps a random time in `0 … min(maxBackoff,
/// baseBackoff · 2ⁿ⁻¹)` before the next one. Request bodies are files or byte arrays, so every
/// attempt re-reads its body from the start (PUT and UploadPart are safe to retry).
struct RetryPolicy: Sendable {
    /// Attempts including the first.
    var maxAttempts: Int
    /// Backoff base in seconds.
    var baseBackoff: Double
    /// Longest single sleep in seconds.
    var maxBackoff: Double

    /// Creates a policy.
    init(maxAttempts: Int, baseBackoff: Double, maxBackoff: Double = 5) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseBackoff = max(0, baseBackoff)
        self.maxBackoff = max(0, maxBackoff)
    }

    /// The policy of an S3 configuration.
    init(configuration: S3Configuration) {
        self.init(
            maxAttempts: configuration.maxAttempts, baseBackoff: configuration.baseBackoff,
            maxBackoff: configuration.maxBackoff)
    }

    /// The largest sleep after failed attempt `attempt` (1-based).
    func backoffCeiling(afterAttempt attempt: Int) -> Double {
        min(maxBackoff, baseBackoff * Double(1 << min(max(attempt - 1, 0), 30)))
    }

    /// Whether an error is worth another attempt.
    static func isRetryable(_ error: any Error) -> Bool {
        (error as? CoreStoreError)?.code == .objectStoreUnavailable
    }

    /// Runs `body` until it succeeds, fails non-retryably, the attempts are used up, or the task is cancelled.
    /// - Parameters:
    ///   - operation: Name for the log.
    ///   - logger: Receives one line per retry.
    ///   - body: One attempt; gets the 1-based attempt number.
    /// - Throws: The last error of `body`.
    func run<T: Sendable>(
        operation: String, logger: Logger, _ body: (_ attempt: Int) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body(attempt)
            } catch {
                guard Self.isRetryable(error), attempt < maxAttempts, !Task.isCancelled else { throw error }
                let delay = Double.random(in: 0...max(backoffCeiling(afterAttempt: attempt), 0.000_001))
                logger.debug(
                    "s3 request retried",
                    metadata: [
                        "s3.operation": "\(operation)", "s3.attempt": "\(attempt)",
                        "s3.backoff_ms": "\(Int(delay * 1000))",
                    ])
                try? await Task.sleep(for: .seconds(delay))
                attempt += 1
            }
        }
    }
}
