public import Foundation

/// The source of truth for names: which object is the live version of a user's file.
///
/// Every method throws ``CoreStoreError``; `.metadataUnavailable` means "retry later".
public protocol MetadataStore: Sendable {
    /// The live record of a user's file, or `nil`.
    /// - Throws: `.metadataUnavailable`.
    func record(userID: UserID, fileName: FileName) async throws -> FileRecord?

    /// Makes `record` the live version of its (user, name) in one transaction. A previous live
    /// version is moved to the pending-deletion state and returned, so its object can be deleted.
    ///
    /// Unless `quota` is ``StorageQuota/unlimited``, the user's usage without the file of that
    /// name is read in the same transaction, serialized with the user's other quota-checked
    /// commits, and the commit is refused when the new file does not fit.
    /// - Throws: `.quotaExceeded` (nothing changed), `.metadataUnavailable`.
    func commit(_ record: FileRecord, quota: StorageQuota) async throws -> FileRecord?

    /// What a user stores now (live files only).
    /// - Parameter excluding: A file name whose live version is left out (the one an upload replaces).
    /// - Throws: `.metadataUnavailable`.
    func usage(userID: UserID, excluding: FileName?) async throws -> StorageUsage

    /// Moves the live record of a user's file to the pending-deletion state and returns it.
    /// - Throws: `.metadataUnavailable`.
    func remove(userID: UserID, fileName: FileName) async throws -> FileRecord?

    /// Forgets a pending-deletion record once its object is gone.
    /// - Throws: `.metadataUnavailable`.
    func purge(fileID: FileID) async throws

    /// Pending-deletion records (objects still to delete), oldest first.
    /// - Throws: `.metadataUnavailable`.
    func pendingDeletions(limit: Int) async throws -> [FileRecord]

    /// A user's live files, newest first, `limit` at a time; `cursor` is a previous page's `nextCursor`.
    /// - Throws: `.metadataUnavailable`, `.badRequest` for a cursor this store did not issue.
    func list(userID: UserID, limit: Int, cursor: String?) async throws -> FilePage

    /// Records download times in one batch (called off the request path).
    /// - Throws: `.metadataUnavailable`.
    func recordAccess(_ times: [FileID: Date]) async throws

    /// Cheap reachability check for readiness probes.
    /// - Throws: `.metadataUnavailable`.
    func checkReachable() async throws
}

extension MetadataStore {
    /// Commits without a quota (see ``commit(_:quota:)``).
    /// - Throws: `.metadataUnavailable`.
    public func commit(_ record: FileRecord) async throws -> FileRecord? {
        try await commit(record, quota: .unlimited)
    }
}
