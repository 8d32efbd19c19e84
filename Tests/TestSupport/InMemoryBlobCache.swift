public import CoreStore
import Foundation
public import NIOCore
import Synchronization

/// A ``BlobCache`` held in memory: the Redis cache's twin for unit tests, held to the same
/// ``BlobCacheContract`` (every blob whole or absent, files pushed only when they are `size`
/// bytes long, files above the limit skipped).
public final class InMemoryBlobCache: BlobCache {
    private let blobs = Mutex<[FileID: ByteBuffer]>([:])
    /// The largest file ``store(fileAt:size:for:)`` keeps; larger ones are skipped.
    public let maxBlobBytes: Int64

    /// An empty cache.
    /// - Parameter maxBlobBytes: The largest file pushed (the Redis cache's default, 8 MiB).
    public init(maxBlobBytes: Int64 = 8 << 20) {
        self.maxBlobBytes = maxBlobBytes
    }

    /// The stored bytes, or `nil`.
    public func blob(for fileID: FileID) async throws -> ByteBuffer? {
        blobs.withLock { $0[fileID] }
    }

    /// Keeps `blob` for `fileID`.
    public func store(_ blob: ByteBuffer, for fileID: FileID) async throws {
        blobs.withLock { $0[fileID] = blob }
    }

    /// Keeps the file's bytes when it is exactly `size` long (else `.cacheUnavailable`, nothing kept).
    public func store(fileAt path: String, size: Int64, for fileID: FileID) async throws {
        guard size <= maxBlobBytes else { return }
        guard let data = FileManager.default.contents(atPath: path), Int64(data.count) == size else {
            throw CoreStoreError(.cacheUnavailable)
        }
        blobs.withLock { $0[fileID] = ByteBuffer(bytes: data) }
    }

    /// Drops the blob (a missing one is no error).
    public func remove(fileID: FileID) async throws {
        _ = blobs.withLock { $0.removeValue(forKey: fileID) }
    }

    /// Always reachable.
    public func checkReachable() async throws {}
}
