public import NIOCore
import _NIOFileSystem

/// ``BlobCache`` in Redis: whole small objects under `uds:blob:<file_id>` with a TTL.
///
/// A file is pushed in ``chunkBytes`` pieces (`SET` then `APPEND`s) under a staging key
/// `uds:blob-staging:<file_id>:<random>` that expires after ``stagingTTLSeconds``, then renamed
/// onto the blob's key: a reader sees the whole blob or none, and a push that dies half way
/// leaves only a staging key that expires.
///
/// Blobs larger than ``maxBlobBytes`` are not stored (`store` ignores them), so one hot large
/// file can never evict the shared cache's working set or stall Redis.
public final class RedisBlobCache: BlobCache {
    /// The key prefix of every blob.
    public static let keyPrefix = "uds:blob:"
    /// The key prefix of blobs still being pushed.
    public static let stagingKeyPrefix = "uds:blob-staging:"
    /// Bytes read from the file and sent per command when pushing a file.
    public static let chunkBytes: Int64 = 256 * 1024
    /// Lifetime of a staging key (a push that died half way).
    public static let stagingTTLSeconds = 300

    /// Seconds a blob lives after it was stored.
    public let ttlSeconds: Int
    /// The largest blob that is stored.
    public let maxBlobBytes: Int
    private let client: RedisClient

    /// Creates the cache.
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - ttlSeconds: Lifetime of a stored blob (default one day).
    ///   - maxBlobBytes: Larger blobs are not stored (default 8 MiB).
    public init(client: RedisClient, ttlSeconds: Int = 86_400, maxBlobBytes: Int = 8 << 20) {
        self.client = client
        self.ttlSeconds = ttlSeconds
        self.maxBlobBytes = maxBlobBytes
    }

    /// The Redis key of a file version.
    public static func key(for fileID: FileID) -> String { keyPrefix + fileID.rawValue }

    /// The cached bytes, or `nil` on a miss.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    public func blob(for fileID: FileID) async throws -> ByteBuffer? {
        try await client.get(Self.key(for: fileID))
    }

    /// Stores the bytes unless they exceed ``maxBlobBytes``.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    public func store(_ blob: ByteBuffer, for fileID: FileID) async throws {
        guard blob.readableBytes <= maxBlobBytes else { return }
        try await client.set(Self.key(for: fileID), value: blob, ttlSeconds: ttlSeconds)
    }

    /// Pushes a file in ``chunkBytes`` pieces under a staging key, then renames it onto the
    /// blob's key (see the type's documentation). Files larger than ``maxBlobBytes`` are skipped.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`, also when the file is not `size` bytes long
    ///   (the staging key is deleted).
    public func store(fileAt path: String, size: Int64, for fileID: FileID) async throws {
        guard size <= Int64(maxBlobBytes) else { return }
        let staging = "\(Self.stagingKeyPrefix)\(fileID.rawValue):\(UInt64.random(in: .min ... .max))"
        do {
            let sent = try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                var sent: Int64 = 0
                for try await chunk in handle.readChunks(in: 0..<size, chunkLength: .bytes(Self.chunkBytes)) {
                    if sent == 0 {
                        try await client.set(staging, value: chunk, ttlSeconds: Self.stagingTTLSeconds)
                        sent = Int64(chunk.readableBytes)
                    } else {
                        sent = try await client.append(staging, value: chunk)
                    }
                }
                return sent
            }
            if size == 0 { try await client.set(staging, value: ByteBuffer(), ttlSeconds: Self.stagingTTLSeconds) }
            guard sent == size else { throw CoreStoreError(.cacheUnavailable, "file changed while pushed") }
            try await client.rename(staging, to: Self.key(for: fileID))
            try await client.expire(Self.key(for: fileID), seconds: ttlSeconds)
        } catch {
            _ = try? await client.delete([staging])
            throw (error as? CoreStoreError) ?? CoreStoreError(.cacheUnavailable)
        }
    }

    /// Deletes the blob.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    public func remove(fileID: FileID) async throws {
        try await client.delete([Self.key(for: fileID)])
    }

    /// `PING`.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    public func checkReachable() async throws {
        try await client.ping()
    }
}
