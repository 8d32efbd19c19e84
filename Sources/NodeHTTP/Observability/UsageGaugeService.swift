import Logging
import Metrics
public import ServiceLifecycle

/// Samples slow-changing usage figures into gauges every few seconds (spool bytes on the upload
/// node, disk-cache bytes on the download node), so a scrape never walks a directory.
public struct UsageGaugeService: Service {
    let samples: [(label: String, read: @Sendable () -> Int64)]
    let interval: Duration

    /// Creates the service.
    /// - Parameters:
    ///   - samples: Gauge label and the function reading its value.
    ///   - interval: Sampling period.
    public init(samples: [(label: String, read: @Sendable () -> Int64)], interval: Duration = .seconds(5)) {
        self.samples = samples
        self.interval = interval
    }

    /// Samples until shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for sample in samples { Gauge(label: sample.label).record(sample.read()) }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
