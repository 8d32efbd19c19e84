public import CoreStore
import Foundation
import Metrics

#if canImport(Glibc)
    import Glibc
#endif

/// Decides whether the node can serve: not draining, metadata and object store reachable, and
/// the local disk above its free-space watermark. Redis is reported but never fatal. Results
/// are cached for a second so probes stay cheap under any probe rate.
public final class ReadinessProbe: Sendable {
    /// One readiness answer.
    public struct Report: Sendable {
        /// Whether the node should receive traffic.
        public var isReady: Bool
        /// Per-check status, rendered as the `/readyz` body.
        public var checks: [String: String]

        var json: [String: Any] { ["status": isReady ? "ready" : "not ready", "checks": checks] }
    }

    private let drain: DrainState
    private let metadata: any MetadataStore
    private let objectStore: any ObjectStore
    private let blobCache: (any BlobCache)?
    private let diskPath: String
    private let minFreeBytes: Int64
    private let cache = LockedValue<(at: ContinuousClock.Instant, report: Report)?>(nil)

    /// Creates a probe.
    public init(
        drain: DrainState, metadata: any MetadataStore, objectStore: any ObjectStore, blobCache: (any BlobCache)?,
        diskPath: String, minFreeBytes: Int64
    ) {
        self.drain = drain
        self.metadata = metadata
        self.objectStore = objectStore
        self.blobCache = blobCache
        self.diskPath = diskPath
        self.minFreeBytes = minFreeBytes
    }

    /// The current report (draining is reflected at once; backend checks at most once a second).
    public func report() async -> Report {
        if drain.isDraining {
            return Report(isReady: false, checks: ["draining": "true"])
        }
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0 }), now - cached.at < .seconds(1) { return cached.report }
        var checks: [String: String] = ["draining": "false"]
        var ready = true
        if let sharded = metadata as? any MetadataShardReporting {
            ready = await Self.checkShards(sharded, into: &checks) && ready
        } else {
            do {
                try await metadata.checkReachable()
                checks["metadata"] = "ok"
            } catch {
                checks["metadata"] = "\(error)"
                ready = false
            }
        }
        do {
            try await objectStore.checkReachable()
            checks["object_store"] = "ok"
        } catch {
            checks["object_store"] = "\(error)"
            ready = false
        }
        Gauge(label: "uds_backend_up", dimensions: [("backend", "metadata")]).record(checks["metadata"] == "ok" ? 1 : 0)
        Gauge(label: "uds_backend_up", dimensions: [("backend", "object_store")])
            .record(checks["object_store"] == "ok" ? 1 : 0)
        if let blobCache {
            let up = (try? await blobCache.checkReachable()) != nil
            checks["redis"] = up ? "ok" : "down"
            Gauge(label: "uds_backend_up", dimensions: [("backend", "redis")]).record(up ? 1 : 0)
        } else {
            checks["redis"] = "disabled"
        }
        let free = DiskSpace.freeBytes(at: diskPath)
        checks["disk_free_bytes"] = String(free)
        if free < minFreeBytes {
            checks["disk"] = "below watermark"
            ready = false
        } else {
            checks["disk"] = "ok"
        }
        let report = Report(isReady: ready, checks: checks)
        cache.withLock { $0 = (now, report) }
        return report
    }
}

extension ReadinessProbe {
    /// Reports every shard as `metadata.shard.<i>` (`ok` or the error) and the whole as
    /// `metadata`: `ok`, `degraded: k of n shards unavailable`, or the error when all are down.
    /// Only all shards down makes the node not ready: a shard outage is shared by every node, so
    /// taking nodes out of the load balancer would not help its users and would hurt everyone else's.
    /// - Returns: Whether at least one shard is reachable.
    static func checkShards(_ store: any MetadataShardReporting, into checks: inout [String: String]) async -> Bool {
        let statuses = await store.shardStatuses()
        for status in statuses {
            checks["metadata.shard.\(status.index)"] = status.error.map { "\($0) (\(status.label))" } ?? "ok"
            Gauge(label: "uds_metadata_shard_up", dimensions: [("shard", String(status.index))])
                .record(status.error == nil ? 1 : 0)
        }
        let down = statuses.filter { $0.error != nil }
        switch down.count {
        case 0: checks["metadata"] = "ok"
        case statuses.count: checks["metadata"] = "\(down[0].error ?? CoreStoreError(.metadataUnavailable))"
        default: checks["metadata"] = "degraded: \(down.count) of \(statuses.count) shards unavailable"
        }
        return down.count < statuses.count
    }
}
