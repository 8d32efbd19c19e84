public import Foundation

/// The tail journal of resumable uploads over shards: every entry lives on the shard of its
/// upload's owner, next to the upload's row, so a row update and its journal change stay one
/// transaction of one database.
extension ShardedMetadataStore {
    /// The owner's shard as a resumable-upload store.
    /// - Throws: `.internalError` when a shard store lacks the capability (every built-in one has it).
    private func tailJournal(for userID: UserID) throws(CoreStoreError) -> any ResumableUploadStore {
        guard let store = store(for: userID) as? any ResumableUploadStore else { throw CoreStoreError(.internalError) }
        return store
    }

    /// Records the entry on its owner's shard.
    /// - Throws: `.metadataUnavailable`.
    public func recordPendingTail(_ tail: ResumablePendingTail) async throws {
        try await tailJournal(for: tail.userID).recordPendingTail(tail)
    }

    /// Removes the entry from its owner's shard.
    /// - Throws: `.metadataUnavailable`.
    public func removePendingTail(key tailKey: String, uploadID: String, userID: UserID) async throws {
        try await tailJournal(for: userID).removePendingTail(key: tailKey, uploadID: uploadID, userID: userID)
    }

    /// Claims the upload's entries on its owner's shard.
    /// - Throws: `.metadataUnavailable`.
    public func claimPendingTails(uploadID: String, userID: UserID) async throws -> [ResumablePendingTail] {
        try await tailJournal(for: userID).claimPendingTails(uploadID: uploadID, userID: userID)
    }

    /// Advances the upload and its journal on the owner's shard.
    /// - Throws: `.metadataUnavailable`.
    public func advanceUpload(
        _ upload: ResumableUpload, from expectedOffset: Int64, replacingTail previousTail: String?
    ) async throws -> Bool {
        try await tailJournal(for: UserID(validating: upload.userID)).advanceUpload(
            upload, from: expectedOffset, replacingTail: previousTail)
    }

    /// Stale entries claimed on every reachable shard (up to `limit` each), merged oldest first;
    /// a shard that is down is left out and logged. Every claimed entry is returned, so none waits
    /// claimed for a later pass.
    /// - Throws: `.metadataUnavailable` when no shard answers.
    public func claimPendingTails(recordedBefore date: Date, limit: Int) async throws -> [ResumablePendingTail] {
        guard limit > 0 else { return [] }
        let results = await everyShard { store -> [ResumablePendingTail] in
            guard let store = store as? any ResumableUploadStore else { return [] }
            return try await store.claimPendingTails(recordedBefore: date, limit: limit)
        }
        let answered = results.compactMap { try? $0.get() }
        if answered.isEmpty, let failure = firstFailure(results, operation: "claimStalePendingTails") { throw failure }
        _ = firstFailure(results, operation: "claimStalePendingTails")
        return answered.joined().sorted { $0.createdAt < $1.createdAt }
    }
}
