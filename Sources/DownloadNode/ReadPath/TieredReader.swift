import CoreStore
import Logging
import Metrics
import NIOCore

/// Finds and opens the bytes of a file version: node disk cache, then Redis (small objects), then
/// the object store. Keys are immutable `FileID`s, so no tier can hold stale bytes.
///
/// Every source it returns is already open (a cache file's descriptor, Redis bytes in memory, a
/// fill or a store read that has delivered its first bytes), so the route sends a status line only
/// for a version it can read; a version whose object is gone throws `.objectNotFound` here.
struct TieredReader: Sendable {
    /// Where the bytes will come from; each case holds what keeps them readable.
    enum Source: Sendable {
        /// A complete, verified file in the disk cache, opened.
        case cachedFile(CachedFile, OpenFile)
        /// Bytes from Redis.
        case memory(ByteBuffer)
        /// A disk-cache fill from the object store in progress (shared by concurrent misses), its
        /// file opened.
        case filling(CacheFill, OpenFile)
        /// A read from the object store that has delivered its first bytes (not admitted to the
        /// disk cache, or a range on a miss).
        case objectStore(ObjectStoreRelay)
    }

    let cache: DiskLRUCache
    let blobCache: (any BlobCache)?
    let redisMaxBytes: Int64
    let filler: CacheFiller
    let objectStore: any ObjectStore

    /// Locates and opens a version's bytes; on a miss of an admitted object, starts (or joins) a
    /// cache fill and returns once its first bytes have arrived, so a failing store still answers 503.
    /// - Parameter range: The inclusive range a `Range` request needs (`nil`: the whole file); a
    ///   miss then reads just the range from the store.
    /// - Throws: `.objectStoreUnavailable`, `.objectNotFound`, `.insufficientStorage`.
    func locate(_ record: FileRecord, range: ClosedRange<Int64>?) async throws -> Source {
        if let hit = cache.lookup(record.fileID), let opened = CacheFileOpener.open(path: hit.path) {
            count(tier: "disk", result: "hit")
            return .cachedFile(hit, opened)
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
        if range == nil, cache.shouldAdmit(record.fileID, size: record.size),
            let source = try await joinFill(record)
        {
            return source
        }
        return .objectStore(try await ObjectStoreRelay.open(objectStore, key: record.objectKey, range: range))
    }

    /// The fill of `record` once its first bytes are in, opened; `nil` when the cache did not keep
    /// the object (then the store is read directly).
    private func joinFill(_ record: FileRecord) async throws -> Source? {
        let fill = filler.fill(record)
        switch await fill.wait(beyond: 0) {
        case .failed(let error):
            throw error
        case .finished(let file?):
            if let opened = CacheFileOpener.open(path: file.path) { return .cachedFile(file, opened) }
            return nil
        case .finished(nil):
            return nil
        case .running:
            if let opened = CacheFileOpener.open(fill) { return .filling(fill, opened) }
            if case .failed(let error) = fill.progress { throw error }
            return nil
        }
    }

    private func count(tier: String, result: String) {
        Counter(label: "uds_cache_requests_total", dimensions: [("tier", tier), ("result", result)]).increment()
    }
}
