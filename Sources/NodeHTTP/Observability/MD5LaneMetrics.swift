import CoreStore
import Metrics

/// Publishes the process's ``MD5LaneHasher`` counters on `/metrics` when it is scraped:
/// `uds_md5_blocks_total{path="vector"|"single"}` (64-byte blocks hashed in vector lanes or by the
/// one-stream code) and `uds_md5_vector_rounds_total` (vector calls, in blocks per lane; blocks over
/// rounds is the average number of busy lanes).
enum MD5LaneMetrics {
    /// The counters (swift-metrics, bootstrapped onto the Prometheus registry), made once.
    private static let vectorBlocks = counter("uds_md5_blocks_total", [("path", "vector")])
    private static let singleBlocks = counter("uds_md5_blocks_total", [("path", "single")])
    private static let vectorRounds = counter("uds_md5_vector_rounds_total", [])
    /// What was published so far (the counters only move forward by the difference).
    private static let published = LockedValue(MD5LaneHasher.Statistics())

    /// Brings the counters up to the hasher's current statistics.
    /// - Parameter statistics: The hasher's counters now.
    static func publish(_ statistics: MD5LaneHasher.Statistics = MD5LaneHasher.shared.statistics) {
        let before = published.withLock { published in
            defer { published = statistics }
            return published
        }
        vectorBlocks.increment(by: statistics.vectorLaneBlocks - before.vectorLaneBlocks)
        singleBlocks.increment(by: statistics.singleBlocks - before.singleBlocks)
        vectorRounds.increment(by: statistics.vectorBlockRounds - before.vectorBlockRounds)
    }

    private static func counter(_ name: String, _ labels: [(String, String)]) -> Counter {
        Counter(label: name, dimensions: labels)
    }
}
