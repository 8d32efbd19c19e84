import CoreStore
import Logging
import Metrics
import NIOCore
import _NIOFileSystem

/// Finds the bytes of a file version: node disk cache, then Redis (small objects), then the
/// object store. Keys are immutable `FileID`s, so no tier can hold stale bytes.
struct TieredReader: Sendable {
    /// Where the bytes will come from.
    enum Source: Sendable {
        /// A complete, verified file in the disk cache.
        case cachedFile(CachedFile)
        /// Bytes from Redis.
        case memory(ByteBuffer)
        /// Stream from the object store (not admitted to the disk cache, or a partial range).
        case objectStore
    }

    let cache: DiskLRUCache
    let blobCache: (any BlobCache)?
    let objectStore: any ObjectStore
    let redisMaxBytes: Int64
    let flights: SingleFlight<FileID, CachedFile?>
    let logger: Logger

    /// Locates a version's bytes, filling the disk cache from the object store on a miss.
    /// - Parameter wholeFileNeeded: `false` for a range request on a miss: the range is fetched alone.
    /// - Throws: `.objectStoreUnavailable`, `.objectNotFound`.
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
        let fill = { @Sendable in try await fillCache(record) }
        if let file = try await flights.run(record.fileID, fill) { return .cachedFile(file) }
        return .objectStore
    }

    /// One object-store GET into a new cache file (shared by concurrent misses).
    private func fillCache(_ record: FileRecord) async throws -> CachedFile? {
        count(tier: "store", result: "fetch")
        let pending = cache.beginInsert(record.fileID, expectedSize: record.size)
        do {
            let size = try await objectStore.getObject(key: record.objectKey, range: nil, toFile: pending.path)
            guard size == record.size else { throw CoreStoreError(.objectStoreUnavailable) }
            let hasher = XXH3Hasher()
            try await FileSystem.shared.withFileHandle(forReadingAt: .init(pending.path)) { handle in
                for try await chunk in handle.readChunks(in: 0..<size, chunkLength: .mebibytes(1)) {
                    chunk.withUnsafeReadableBytes { hasher.update($0) }
                }
            }
            let file = try cache.commitInsert(pending, size: size, xxh3: hasher.digest())
            if let blobCache, size <= redisMaxBytes, let file {
                Task { await pushToRedis(file, blobCache: blobCache) }
            }
            return file
        } catch {
            cache.abandonInsert(pending)
            throw error
        }
    }

    private func pushToRedis(_ file: CachedFile, blobCache: any BlobCache) async {
        guard let bytes = try? await FileSystem.shared.withFileHandle(forReadingAt: .init(file.path), execute: {
            try await $0.readToEnd(maximumSizeAllowed: .bytes(file.size))
        }) else { return }
        try? await blobCache.store(bytes, for: file.fileID)
    }

    private func count(tier: String, result: String) {
        Counter(label: "uds_cache_requests_total", dimensions: [("tier", tier), ("result", result)]).increment()
    }
}
