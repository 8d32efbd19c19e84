import CoreStore
import Foundation
import Logging
import ServiceLifecycle

/// Background janitor: deletes objects of replaced/deleted rows that could not be deleted at
/// the time, resolves the spool journals a crashed process left (``SpoolDirectory``), and aborts multipart uploads under the service's prefix older than the stale age
/// (uploads of crashed nodes whose journals are gone; the bucket lifecycle rule is the backstop).
struct UploadSweeper: Service {
    let committer: UploadCommitter
    let metadata: any MetadataStore
    let objectStore: any ObjectStore
    let spool: SpoolDirectory
    let keyPrefix: String
    let staleAgeSeconds: Double
    let leftoverGraceSeconds: Double
    let logger: Logger
    var interval: Duration = .seconds(60)
    /// Removes expired resumable uploads (nil when the backends cannot hold them).
    var resumable: ResumableExpiry? = nil
    /// Deletes tail objects of resumable uploads that dead nodes left (nil when the backends cannot hold them).
    var pendingTails: PendingTailSweep? = nil
    /// Stale age of multipart uploads of resumable uploads (keys ending in ``ResumableUpload/keySuffix``).
    var resumableStaleAgeSeconds: Double = 0

    func run() async throws {
        while !Task.isCancelled {
            await sweepOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully { return }
        }
    }

    /// One pass (tests call it directly).
    func sweepOnce() async {
        await spool.resolveLeftovers(
            objectStore: objectStore, metadata: metadata, graceSeconds: leftoverGraceSeconds, logger: logger)
        do {
            for record in try await metadata.pendingDeletions(limit: 100) { await committer.deleteReplaced(record) }
        } catch {
            failed("pending deletions not listed", step: "pending_deletions", error)
        }
        await resumable?.sweepOnce()
        await pendingTails?.sweepOnce()
        guard let multipart = objectStore as? any MultipartObjectStore else { return }
        let uploads: [PendingMultipartUpload]
        do {
            uploads = try await multipart.listMultipartUploads(prefix: keyPrefix)
        } catch {
            failed("multipart uploads not listed", step: "multipart_listing", error)
            return
        }
        let cutoff = Date().addingTimeInterval(-staleAgeSeconds)
        let resumableCutoff = Date().addingTimeInterval(-max(staleAgeSeconds, resumableStaleAgeSeconds))
        for upload in uploads where upload.initiated < cutoff {
            if upload.key.rawValue.hasSuffix(ResumableUpload.keySuffix), upload.initiated >= resumableCutoff {
                continue
            }
            do {
                try await multipart.abortMultipartUpload(key: upload.key, uploadID: upload.uploadID)
                logger.notice("aborted stale multipart upload", metadata: ["s3.key": "\(upload.key)"])
            } catch {
                failed("stale multipart upload not aborted", step: "multipart_abort", error)
            }
        }
    }

    /// Logs and counts (`uds_sweep_failures_total{step}`) a step that failed; the next pass retries it.
    private func failed(_ message: Logger.Message, step: String, _ error: any Error) {
        SweepFailures.record(message, step: step, error, metadata: ["sweep.retry_in": "\(interval)"], logger: logger)
    }
}
