public import NIOCore

/// ``BlobCache`` in Redis: whole small objects under `uds:blob:<file_id>` with a TTL.
///
/// Blobs larger than ``maxBlobBytes`` are not stored (`store` ignores them), so one hot large
/// file can never evict the shared cache's working set or stall Redis.
public final class RedisBlobCache: BlobCache {
    /// The key prefix of every blob.
    public static let keyPrefix = "uds:blob:"

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
