import Metrics

/// `uds_s3_request_duration_seconds{operation}` and `uds_s3_errors_total{operation}` per attempt.
enum S3Metrics {
    /// Records one attempt of `operation`.
    static func record(operation: String, since started: ContinuousClock.Instant, failed: Bool) {
        Metrics.Timer(label: "uds_s3_request_duration_seconds", dimensions: [("operation", operation)])
            .recordSeconds((ContinuousClock.now - started).secondsValue)
        if failed {
            Counter(label: "uds_s3_errors_total", dimensions: [("operation", operation)]).increment()
        }
    }
}
