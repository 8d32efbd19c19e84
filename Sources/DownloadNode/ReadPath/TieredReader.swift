import CoreStore
import Logging
import Metrics
import NIOCore

/// Finds the bytes of a file version: node disk cache, then Redis (small objects), then the
/// object store. Keys are immutable `FileID`s, so no tier can hold stale bytes.
struct TieredReader: Sendable {
    /// Where the bytes will come from.
    enum Source: Sendable {
        /// A complete, verified file in the disk cache.
        case cachedFile(CachedFile)
        /// Bytes from Redis.
        case memory(ByteBuffer)
        /// A disk-cache fill from the object store in progress (shared by concurrent misses).
        case filling(CacheFill)
        /// Stream from the object store (not admitted to the disk cache, or a range on a miss).
        case objectStore
    }

    let cache: DiskLRUCache
    let blobCache: (any BlobCache)?
    let redisMaxBytes: Int64
    let filler: CacheFiller

    /// Locates a version's bytes; on a miss of an admitted object, starts (or joins) a cache fill
    /// and returns once its first bytes have arrived, so a failing store still answers 503.
    /// - Parameter wholeFileNeeded: `false` for a range request: a miss then reads just the range.
    /// - Throws: `.objectStoreUnavailable`, `.objectNotFound`, `.insufficientStorage`.
    func locate(_ record: FileRecord, wholeFileNeeded: Bool) async throws -> Source {
        if let hit = cache.lookup(record.fileID) {
            count(tier: "disk", result: "hit")
            return .cachedFile(hit)
        }
        count(tier: "disk", result: "miss")
        if let blobCache, record.size <= redisMaxBytes {
            do {
                if let bytes = try await blobCache.blob(for: record.fileID), bytes.readableBytes == record.size {
                    count(tier: "redis", result: "hit")
                    if cache.shouldAdmit(record.fileID, size: record.size) {
                        _ = try? cache.insert(record.fileID, bytes: bytes)
                    }
                    return .memory(bytes)
                }
                count(tier: "redis", result: "miss")
            } catch {
                count(tier: "redis", result: "error")
            }
        }
        guard wholeFileNeeded, cache.shouldAdmit(record.fileID, size: record.size) else { return .objectStore }
        let fill = filler.fill(record)
        switch await fill.wait(beyond: 0) {
        case .failed(let error): throw error
        case .finished(let file?): return .cachedFile(file)
        case .finished(nil): return .objectStore
        case .running: return .filling(fill)
        }
    }

    private func count(tier: String, result: String) {
        Counter(label: "uds_cache_requests_total", dimensions: [("tier", tier), ("result", result)]).increment()
    }
}
