public import Foundation

extension ShardedMetadataStore: ResumableUploadStore {
    /// The owner's shard as a resumable-upload store.
    /// - Throws: `.internalError` when a shard store lacks the capability (every built-in one has it).
    private func resumableStore(for userID: UserID) throws(CoreStoreError) -> any ResumableUploadStore {
        guard let store = store(for: userID) as? any ResumableUploadStore else { throw CoreStoreError(.internalError) }
        return store
    }

    private func owner(of upload: ResumableUpload) throws(CoreStoreError) -> UserID {
        try UserID(validating: upload.userID)
    }

    /// Records the upload on its owner's shard.
    /// - Throws: `.metadataUnavailable`.
    public func createUpload(_ upload: ResumableUpload) async throws {
        try await resumableStore(for: owner(of: upload)).createUpload(upload)
    }

    /// Reads the upload from the user's shard.
    /// - Throws: `.metadataUnavailable`.
    public func upload(id: String, userID: UserID) async throws -> ResumableUpload? {
        try await resumableStore(for: userID).upload(id: id, userID: userID)
    }

    /// Removes the upload from the user's shard.
    /// - Throws: `.metadataUnavailable`.
    public func removeUpload(id: String, userID: UserID) async throws -> ResumableUpload? {
        try await resumableStore(for: userID).removeUpload(id: id, userID: userID)
    }

    /// Expired uploads of every reachable shard, merged oldest first (a shard that is down is
    /// left out and logged).
    /// - Throws: `.metadataUnavailable` when no shard answers.
    public func expiredUploads(before date: Date, limit: Int) async throws -> [ResumableUpload] {
        guard limit > 0 else { return [] }
        let results = await everyShard { store -> [ResumableUpload] in
            guard let store = store as? any ResumableUploadStore else { return [] }
            return try await store.expiredUploads(before: date, limit: limit)
        }
        let answered = results.compactMap { try? $0.get() }
        if answered.isEmpty, let failure = firstFailure(results, operation: "expiredUploads") { throw failure }
        _ = firstFailure(results, operation: "expiredUploads")
        return Array(answered.joined().sorted { $0.expiresAt < $1.expiresAt }.prefix(limit))
    }
}
