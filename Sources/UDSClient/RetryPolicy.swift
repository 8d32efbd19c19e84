public import Foundation

/// When and how long to wait before retrying an answer of `503` or `429`.
///
/// Only those two statuses are retried (the service says "retry later" with them); every other
/// `4xx` and `5xx` is final. The wait is the answer's `Retry-After` when it has one, plus up to 10 %
/// jitter so that many clients do not come back at the same instant; otherwise exponential backoff
/// with jitter: a random wait between half and all of `baseDelay · 2^attempt`, at most `maxDelay`.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included (1 = never retry).
    public var maxAttempts: Int
    /// The backoff of the first retry when the answer has no `Retry-After`, in seconds.
    public var baseDelay: Double
    /// The longest backoff without `Retry-After`, in seconds.
    public var maxDelay: Double
    /// A `Retry-After` longer than this (seconds) is not waited for: the error is returned.
    public var maxRetryAfter: Double

    /// Makes a policy.
    /// - Parameters:
    ///   - maxAttempts: Attempts in all (5).
    ///   - baseDelay: First backoff in seconds (0.25).
    ///   - maxDelay: Longest backoff in seconds (8).
    ///   - maxRetryAfter: Longest `Retry-After` honoured, in seconds (60).
    public init(maxAttempts: Int = 5, baseDelay: Double = 0.25, maxDelay: Double = 8, maxRetryAfter: Double = 60) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Whether an answer with `status` may be retried.
    /// - Parameter status: The HTTP status.
    public static func isRetryable(status: Int) -> Bool { status == 503 || status == 429 }

    /// How long to wait before retry number `attempt` (0 = the first retry), or `nil` to give up.
    /// - Parameters:
    ///   - attempt: Retries made so far.
    ///   - retryAfter: Seconds from the answer's `Retry-After`.
    public func delay(beforeRetry attempt: Int, retryAfter: Double?) -> Double? {
        guard attempt + 1 < maxAttempts else { return nil }
        if let retryAfter {
            guard retryAfter <= maxRetryAfter else { return nil }
            return retryAfter + Double.random(in: 0...max(0.001, retryAfter * 0.1))
        }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt)))
        return Double.random(in: (ceiling / 2)...ceiling)
    }

    /// Seconds from a `Retry-After` value: delta-seconds or an HTTP-date.
    /// - Parameters:
    ///   - value: The header value.
    ///   - now: The current time.
    public static func seconds(retryAfter value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return Double(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
