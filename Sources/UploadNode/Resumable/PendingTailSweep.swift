import CoreStore
import Foundation
import Logging

/// Deletes the tail objects a dead node left behind (docs/decisions/0022-resumable-upload-state.md):
/// every tail-journal entry older than the grace is claimed, its object deleted, then the entry
/// removed. The ``UploadSweeper`` runs one pass per sweep; an entry whose object could not be
/// deleted stays (claimed) and is retried next pass.
///
/// The grace only has to outlast the window of a live request, from its journal entry to its row
/// update: one tail `PUT` (less than one part) and one metadata statement. Even a request slower
/// than the grace loses nothing: the claim makes its row update fail (409, the client resumes from
/// `HEAD`), so the row never names a swept tail.
struct PendingTailSweep: Sendable {
    /// How old a journal entry must be before the sweeper takes it (1 hour): far beyond one tail
    /// `PUT` plus one metadata statement, and short against the upload expiry (24 h by default).
    static let defaultGraceSeconds: Double = 3600

    let uploads: any ResumableUploadStore
    let objects: any ObjectStore
    var graceSeconds: Double = Self.defaultGraceSeconds
    let logger: Logger

    /// One pass over at most `limit` journal entries (per database) recorded before `now` − the grace.
    /// - Returns: How many tail objects were deleted with their entries.
    @discardableResult
    func sweepOnce(now: Date = Date(), limit: Int = 100) async -> Int {
        let cutoff = now.addingTimeInterval(-graceSeconds)
        let stale: [ResumablePendingTail]
        do {
            stale = try await uploads.claimPendingTails(recordedBefore: cutoff, limit: limit)
        } catch {
            SweepFailures.record("resumable tail journal not read", step: "tail_journal_listing", error, logger: logger)
            return 0
        }
        var removed = 0
        for tail in stale {
            do {
                try await objects.deleteObject(key: ObjectKey(rawValue: tail.tailKey))
                try await uploads.removePendingTail(key: tail.tailKey, uploadID: tail.uploadID, userID: tail.userID)
                removed += 1
                logger.notice(
                    "leftover resumable tail deleted",
                    metadata: ["upload.id": "\(tail.uploadID)", "s3.key": "\(tail.tailKey)"])
            } catch {
                SweepFailures.record(
                    "leftover resumable tail not deleted yet", step: "tail_delete", error,
                    metadata: ["upload.id": "\(tail.uploadID)"], logger: logger)
            }
        }
        return removed
    }
}
