public import Foundation
public import Logging

/// A ``MetadataStore`` over several shard stores, each holding every row of its users
/// (``UserShardMap``: jump hash of XXH3-64 of the user id's bytes).
///
/// Per-user calls (`record`, `commit`, `remove`, `list`) go to exactly one shard, so a shard
/// that is down answers `.metadataUnavailable` for its users only. Calls that only know a file
/// id go to every shard at once: `purge` succeeds once the owning shard has deleted the row, and
/// `recordAccess` sends the batch to each shard (an update of an id a shard does not hold changes
/// nothing). `pendingDeletions` merges the shards' lists oldest first and leaves out shards that
/// are down. Shard order is the configured order; changing it moves users (see
/// `docs/operations.md`, "Resharding").
public final class ShardedMetadataStore: MetadataStore, PendingDeletionListing, MetadataShardReporting {
    /// One shard: its store and a credential-free name.
    public struct Shard: Sendable {
        /// The shard's store.
        public var store: any PendingDeletionListing
        /// `host:port/database`, for logs and readiness.
        public var label: String

        /// Bundles a store and its label.
        public init(store: any PendingDeletionListing, label: String) {
            self.store = store
            self.label = label
        }
    }

    /// The shards, in configuration order.
    public let shards: [Shard]
    /// Which shard owns which user.
    public let map: UserShardMap
    private let logger: Logger

    /// Combines shard stores.
    /// - Parameters:
    ///   - shards: At least one shard, in the configured order.
    ///   - logger: Where partial failures are logged.
    public init(shards: [Shard], logger: Logger) {
        precondition(!shards.isEmpty, "a sharded store needs at least one shard")
        self.shards = shards
        self.map = UserShardMap(shardCount: shards.count)
        self.logger = logger
    }

    /// The store owning `userID`'s rows.
    /// - Parameter userID: The user.
    public func store(for userID: UserID) -> any PendingDeletionListing {
        shards[map.shard(for: userID)].store
    }

    /// The live record of a user's file, or `nil` (asks the user's shard).
    /// - Throws: `.metadataUnavailable`.
    public func record(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        try await store(for: userID).record(userID: userID, fileName: fileName)
    }

    /// Commits on the record owner's shard (see ``MetadataStore/commit(_:quota:)``); a user's
    /// rows all live on that shard, so its quota check sees all of them.
    /// - Throws: `.quotaExceeded`, `.metadataUnavailable`.
    public func commit(_ record: FileRecord, quota: StorageQuota) async throws -> FileRecord? {
        try await store(for: record.userID).commit(record, quota: quota)
    }

    /// The user's usage, from the user's shard.
    /// - Throws: `.metadataUnavailable`.
    public func usage(userID: UserID, excluding: FileName?) async throws -> StorageUsage {
        try await store(for: userID).usage(userID: userID, excluding: excluding)
    }

    /// Removes on the user's shard (see ``MetadataStore/remove(userID:fileName:)``).
    /// - Throws: `.metadataUnavailable`.
    public func remove(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        try await store(for: userID).remove(userID: userID, fileName: fileName)
    }

    /// Lists from the user's shard; cursors are the shard store's.
    /// - Throws: `.metadataUnavailable`, `.badRequest` for a cursor no store issued.
    public func list(userID: UserID, limit: Int, cursor: String?) async throws -> FilePage {
        try await store(for: userID).list(userID: userID, limit: limit, cursor: cursor)
    }

    /// Forgets a pending-deletion record on whichever shard holds it (asks every shard; a
    /// PostgreSQL shard reports whether it held the row, so a down shard that cannot own it
    /// does not fail the call).
    /// - Throws: `.metadataUnavailable` when no shard purged it and some shard could not be asked.
    public func purge(fileID: FileID) async throws {
        let results = await everyShard { store -> Bool? in
            if let postgres = store as? PostgresMetadataStore {
                return try await postgres.purgeIfPresent(fileID: fileID)
            }
            try await store.purge(fileID: fileID)
            return nil
        }
        if results.contains(where: { (try? $0.get()) == true }) { return }
        if let failure = firstFailure(results, operation: "purge") { throw failure }
    }

    /// Pending deletions of every reachable shard, merged oldest first.
    /// - Throws: `.metadataUnavailable` when no shard answers.
    public func pendingDeletions(limit: Int) async throws -> [FileRecord] {
        try await pendingDeletionsWithTimes(limit: limit).map(\.record)
    }

    /// Pending deletions with their retirement times, merged oldest first; shards that are down
    /// are left out (and logged) so the others' objects still get deleted.
    /// - Throws: `.metadataUnavailable` when no shard answers.
    public func pendingDeletionsWithTimes(limit: Int) async throws -> [PendingDeletion] {
        guard limit > 0 else { return [] }
        let results = await everyShard { store in try await store.pendingDeletionsWithTimes(limit: limit) }
        let answered = results.compactMap { try? $0.get() }
        if answered.isEmpty, let failure = firstFailure(results, operation: "pendingDeletions") { throw failure }
        _ = firstFailure(results, operation: "pendingDeletions")
        let merged = answered.joined().sorted {
            ($0.since, $0.record.fileID) < ($1.since, $1.record.fileID)
        }
        return Array(merged.prefix(limit))
    }

    /// Sends the batch to every shard (each updates the ids it holds).
    /// - Throws: `.metadataUnavailable` when a shard could not be updated (the others were).
    public func recordAccess(_ times: [FileID: Date]) async throws {
        guard !times.isEmpty else { return }
        let results = await everyShard { store in try await store.recordAccess(times) }
        if let failure = firstFailure(results, operation: "recordAccess") { throw failure }
    }

    /// Whether every shard is reachable.
    /// - Throws: `.metadataUnavailable` when any shard is not.
    public func checkReachable() async throws {
        if let failed = await shardStatuses().first(where: { $0.error != nil }) {
            throw failed.error ?? CoreStoreError(.metadataUnavailable)
        }
    }

    /// Each shard's reachability, checked at once.
    public func shardStatuses() async -> [MetadataShardStatus] {
        let results = await everyShard { store in try await store.checkReachable() }
        return results.enumerated().map { index, result in
            let error: CoreStoreError? =
                switch result {
                case .success: nil
                case .failure(let error): error
                }
            return MetadataShardStatus(index: index, label: shards[index].label, error: error)
        }
    }
}

extension ShardedMetadataStore {
    /// Runs `body` against every shard concurrently; results in shard order.
    func everyShard<Value: Sendable>(
        _ body: @escaping @Sendable (any PendingDeletionListing) async throws -> Value
    ) async -> [Result<Value, CoreStoreError>] {
        await withTaskGroup(of: (Int, Result<Value, CoreStoreError>).self) { group in
            for (index, shard) in shards.enumerated() {
                group.addTask {
                    do {
                        return (index, .success(try await body(shard.store)))
                    } catch let error as CoreStoreError {
                        return (index, .failure(error))
                    } catch {
                        return (index, .failure(CoreStoreError(.metadataUnavailable)))
                    }
                }
            }
            var results = [Result<Value, CoreStoreError>?](repeating: nil, count: shards.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0 ?? .failure(CoreStoreError(.metadataUnavailable)) }
        }
    }

    /// The first failure (logging every failed shard), or `nil`.
    func firstFailure<Value>(_ results: [Result<Value, CoreStoreError>], operation: String) -> CoreStoreError? {
        var first: CoreStoreError?
        for (index, result) in results.enumerated() {
            guard case .failure(let error) = result else { continue }
            logger.warning(
                "metadata shard call failed",
                metadata: [
                    "metadata.shard": "\(index)", "metadata.shard_label": "\(shards[index].label)",
                    "metadata.operation": "\(operation)", "error": "\(error)",
                ])
            first = first ?? error
        }
        return first
    }
}
