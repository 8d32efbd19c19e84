public import Foundation

/// One entry of the tail journal (docs/decisions/0022-resumable-upload-state.md): a tail object
/// that a request is writing, or that a row update retired, and that no upload row names (yet).
///
/// A request records the entry before it writes a new tail object; the row update that names the
/// tail removes it in the same transaction. An entry left behind (the node died in between, or
/// after a row update but before deleting the retired tail) is how the sweeper finds the object:
/// the object store has no listing.
public struct ResumablePendingTail: Sendable, Equatable {
    /// The upload's owner.
    public var userID: UserID
    /// The upload the tail was written for.
    public var uploadID: String
    /// The tail object's key.
    public var tailKey: String
    /// When the entry was recorded (the sweeper waits a grace period past it).
    public var createdAt: Date

    /// An entry for `tailKey` of upload `uploadID` of `userID`, recorded at `createdAt`.
    public init(userID: UserID, uploadID: String, tailKey: String, createdAt: Date) {
        self.userID = userID
        self.uploadID = uploadID
        self.tailKey = tailKey
        self.createdAt = createdAt
    }
}
