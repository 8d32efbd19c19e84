public import Foundation

/// The optional capability of a metadata store to keep resumable uploads' state (checked with
/// `as?`): one row per upload, keyed by (user, upload id), updated with an optimistic offset check.
///
/// Every method throws ``CoreStoreError``; `.metadataUnavailable` means "retry later".
public protocol ResumableUploadStore: Sendable {
    /// Records a new upload.
    /// - Throws: `.metadataUnavailable`.
    func createUpload(_ upload: ResumableUpload) async throws

    /// The upload `id` of `userID`, or `nil`.
    /// - Throws: `.metadataUnavailable`.
    func upload(id: String, userID: UserID) async throws -> ResumableUpload?

    /// Replaces the stored state with `upload` if the stored offset is still `expectedOffset`,
    /// keeping the tail journal (``ResumablePendingTail``) in the same transaction: a new
    /// `upload.tailKey` (one that differs from `previousTail`) must have an unclaimed journal entry,
    /// which is removed; a `previousTail` the new state no longer names gets an entry (its object
    /// is garbage from then on). Returns `false`, changing nothing, when the offset moved, the row
    /// is gone, or the new tail's entry is gone or claimed by a sweep.
    /// - Throws: `.metadataUnavailable`.
    func advanceUpload(_ upload: ResumableUpload, from expectedOffset: Int64, replacingTail previousTail: String?)
        async throws -> Bool

    /// Deletes the upload's row and returns what it held (`nil` if there was none). The tail the
    /// row named gets a journal entry in the same transaction, so a caller that dies before
    /// deleting the tail object leaves it to the sweeper.
    /// - Throws: `.metadataUnavailable`.
    func removeUpload(id: String, userID: UserID) async throws -> ResumableUpload?

    /// Uploads that expired before `date`, oldest first, at most `limit`.
    /// - Throws: `.metadataUnavailable`.
    func expiredUploads(before date: Date, limit: Int) async throws -> [ResumableUpload]

    /// Records a tail object about to be written (before its first byte goes to the object store).
    /// Recording the same entry again changes nothing.
    /// - Throws: `.metadataUnavailable`.
    func recordPendingTail(_ tail: ResumablePendingTail) async throws

    /// Removes the journal entry of `tailKey` (after its object was deleted); a missing entry is no error.
    /// - Throws: `.metadataUnavailable`.
    func removePendingTail(key tailKey: String, uploadID: String, userID: UserID) async throws

    /// Claims and returns every journal entry of upload `uploadID` of `userID` (termination,
    /// expiry): a claimed entry can no longer be adopted by a row update, so its object can be
    /// deleted while a request of that upload is still running.
    /// - Throws: `.metadataUnavailable`.
    func claimPendingTails(uploadID: String, userID: UserID) async throws -> [ResumablePendingTail]

    /// Claims and returns journal entries recorded before `date`, oldest first, at most `limit`
    /// per database (the sweeper; entries claimed earlier and still present are returned again).
    /// - Throws: `.metadataUnavailable`.
    func claimPendingTails(recordedBefore date: Date, limit: Int) async throws -> [ResumablePendingTail]
}
