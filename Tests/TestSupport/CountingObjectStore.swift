public import CoreStore
public import NIOCore
import Synchronization

/// Wraps an object store and counts the reads that reach it (single-flight and cache tests),
/// optionally failing every call (store-down tests).
public final class CountingObjectStore: ObjectStore {
    private let base: any ObjectStore
    private let counters = Mutex<(gets: Int, streams: Int, down: Bool)>((0, 0, false))

    /// Wraps `base`.
    public init(_ base: any ObjectStore) {
        self.base = base
    }

    /// Whole or ranged GETs into files so far.
    public var getCount: Int { counters.withLock { $0.gets } }
    /// Streamed reads so far.
    public var streamCount: Int { counters.withLock { $0.streams } }
    /// Makes every call fail with `.objectStoreUnavailable` (or work again).
    public func setDown(_ down: Bool) { counters.withLock { $0.down = down } }

    private func checkUp() throws {
        if counters.withLock({ $0.down }) { throw CoreStoreError(.objectStoreUnavailable) }
    }

    public func putObject(key: ObjectKey, fromFile path: String, size: Int64, md5: ContentDigest, contentType: String)
        async throws
    {
        try checkUp()
        try await base.putObject(key: key, fromFile: path, size: size, md5: md5, contentType: contentType)
    }

    public func getObject(key: ObjectKey, range: ClosedRange<Int64>?, toFile path: String) async throws -> Int64 {
        try checkUp()
        counters.withLock { $0.gets += 1 }
        try await Task.sleep(for: .milliseconds(50))  // widen the window in which misses overlap
        return try await base.getObject(key: key, range: range, toFile: path)
    }

    public func streamObject(
        key: ObjectKey, range: ClosedRange<Int64>?, to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        try checkUp()
        counters.withLock { $0.streams += 1 }
        try await Task.sleep(for: .milliseconds(50))  // widen the window in which misses overlap
        try await base.streamObject(key: key, range: range, to: consumer)
    }

    public func headObject(key: ObjectKey) async throws -> ObjectInfo {
        try checkUp()
        return try await base.headObject(key: key)
    }

    public func deleteObject(key: ObjectKey) async throws {
        try checkUp()
        try await base.deleteObject(key: key)
    }

    public func checkReachable() async throws {
        try checkUp()
        try await base.checkReachable()
    }
}
