import Foundation
public import Logging
import NIOCore

/// A short-lived Redis cache of ``FileRecord``s by `(user, file name)`, in front of the metadata store.
///
/// Entries are JSON under `uds:meta:<percent-encoded user>:<percent-encoded name>` and expire
/// after a few seconds, which bounds how long a missed invalidation can serve a stale record.
/// Every failure surfaces as `.cacheUnavailable`; callers treat it as a miss.
public final class RedisMetadataCache: Sendable {
    /// The key prefix of every entry.
    public static let keyPrefix = "uds:meta:"

    /// Seconds an entry lives.
    public let ttlSeconds: Int
    private let client: RedisClient
    private let logger: Logger

    /// Creates the cache.
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - ttlSeconds: Lifetime of an entry (default 30 s).
    ///   - logger: Receives undecodable entries.
    public init(client: RedisClient, ttlSeconds: Int = 30, logger: Logger) {
        self.client = client
        self.ttlSeconds = ttlSeconds
        self.logger = logger
    }

    /// The Redis key of a user's file name.
    public static func key(userID: UserID, fileName: FileName) -> String {
        keyPrefix + PercentEncoding.encodeUnreserved(userID.rawValue) + ":"
            + PercentEncoding.encodeUnreserved(fileName.rawValue)
    }

    /// The cached record, or `nil` on a miss (an undecodable entry is a miss too).
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    public func get(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        guard let buffer = try await client.get(Self.key(userID: userID, fileName: fileName)) else { return nil }
        do {
            return try JSONDecoder().decode(FileRecord.self, from: Data(buffer.readableBytesView))
        } catch {
            logger.warning("undecodable metadata cache entry", metadata: ["cache.error": "\(error)"])
            return nil
        }
    }

    /// Caches a record under its user and name.
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    public func put(_ record: FileRecord) async throws {
        let json: Data
        do {
            json = try JSONEncoder().encode(record)
        } catch {
            logger.error("metadata record not encodable", metadata: ["cache.error": "\(error)"])
            throw CoreStoreError(.cacheUnavailable)
        }
        try await client.set(
            Self.key(userID: record.userID, fileName: record.fileName), value: ByteBuffer(bytes: json),
            ttlSeconds: ttlSeconds)
    }

    /// Drops the entry of a user's file name (after an upload, overwrite or delete).
    /// - Throws: `CoreStoreError(.cacheUnavailable)`.
    public func invalidate(userID: UserID, fileName: FileName) async throws {
        try await client.delete([Self.key(userID: userID, fileName: fileName)])
    }
}
