import CoreStore
import Foundation
import Logging

/// Removes resumable uploads past their expiry: aborts their multipart upload, deletes their
/// tail (and an assembled object nothing points at) and their row. The ``UploadSweeper`` runs
/// one pass per sweep; an upload whose cleanup fails keeps its row and is retried next pass.
struct ResumableExpiry: Sendable {
    let uploads: any ResumableUploadStore
    let appender: ResumableAppender
    let logger: Logger

    /// One pass over at most `limit` expired uploads.
    /// - Returns: How many were removed.
    @discardableResult
    func sweepOnce(now: Date = Date(), limit: Int = 100) async -> Int {
        let expired: [ResumableUpload]
        do {
            expired = try await uploads.expiredUploads(before: now, limit: limit)
        } catch {
            SweepFailures.record(
                "expired resumable uploads not listed", step: "resumable_listing", error, logger: logger)
            return 0
        }
        var removed = 0
        for upload in expired {
            do {
                try await appender.discard(upload)
                removed += 1
                logger.notice("expired resumable upload removed", metadata: ["upload.id": "\(upload.id)"])
            } catch {
                SweepFailures.record(
                    "expired resumable upload not removed yet", step: "resumable_expiry", error,
                    metadata: ["upload.id": "\(upload.id)"], logger: logger)
            }
        }
        return removed
    }
}
