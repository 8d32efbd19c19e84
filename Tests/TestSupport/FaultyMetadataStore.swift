public import CoreStore
public import Foundation
import Synchronization

/// Wraps a metadata store and can make every call fail with `.metadataUnavailable`, to inject a
/// database outage into route tests (the real store is proven by its own contract suite).
public final class FaultyMetadataStore: MetadataStore {
    private let base: any MetadataStore
    private let down = Mutex(false)

    /// Wraps `base`.
    public init(_ base: any MetadataStore) {
        self.base = base
    }

    /// Makes every call fail (or work again).
    public func setDown(_ value: Bool) { down.withLock { $0 = value } }

    private func checkUp() throws {
        if down.withLock({ $0 }) { throw CoreStoreError(.metadataUnavailable) }
    }

    public func record(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        try checkUp()
        return try await base.record(userID: userID, fileName: fileName)
    }

    public func commit(_ record: FileRecord, quota: StorageQuota) async throws -> FileRecord? {
        try checkUp()
        return try await base.commit(record, quota: quota)
    }

    public func usage(userID: UserID, excluding: FileName?) async throws -> StorageUsage {
        try checkUp()
        return try await base.usage(userID: userID, excluding: excluding)
    }

    public func remove(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        try checkUp()
        return try await base.remove(userID: userID, fileName: fileName)
    }

    public func purge(fileID: FileID) async throws {
        try checkUp()
        try await base.purge(fileID: fileID)
    }

    public func pendingDeletions(limit: Int) async throws -> [FileRecord] {
        try checkUp()
        return try await base.pendingDeletions(limit: limit)
    }

    public func list(userID: UserID, limit: Int, cursor: String?) async throws -> FilePage {
        try checkUp()
        return try await base.list(userID: userID, limit: limit, cursor: cursor)
    }

    public func recordAccess(_ times: [FileID: Date]) async throws {
        try checkUp()
        try await base.recordAccess(times)
    }

    public func checkReachable() async throws {
        try checkUp()
        try await base.checkReachable()
    }
}
