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

    /// Replaces the stored state with `upload` if the stored offset is still `expectedOffset`
    /// (one transaction); returns `false`, changing nothing, when it is not (or the row is gone).
    /// - Throws: `.metadataUnavailable`.
    func advanceUpload(_ upload: ResumableUpload, from expectedOffset: Int64) async throws -> Bool

    /// Deletes the upload's row and returns what it held (`nil` if there was none).
    /// - Throws: `.metadataUnavailable`.
    func removeUpload(id: String, userID: UserID) async throws -> ResumableUpload?

    /// Uploads that expired before `date`, oldest first, at most `limit`.
    /// - Throws: `.metadataUnavailable`.
    func expiredUploads(before date: Date, limit: Int) async throws -> [ResumableUpload]
}
