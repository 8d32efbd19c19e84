import Metrics
public import Prometheus

/// The process-wide Prometheus registry behind swift-metrics, bootstrapped once by `App.swift`.
public enum MetricsRegistry {
    /// The registry `/metrics` renders.
    public static let shared = PrometheusCollectorRegistry()

    /// Bootstraps swift-metrics with Prometheus (call once per process, from `main`).
    public static func bootstrap() {
        var factory = PrometheusMetricsFactory(registry: shared)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(4), .seconds(10),
            .seconds(30), .seconds(60),
        ]
        MetricsSystem.bootstrap(factory)
    }

    /// The text exposition of every metric.
    public static func render() -> [UInt8] {
        MD5LaneMetrics.publish()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        shared.emit(into: &buffer)
        return buffer
    }
}
