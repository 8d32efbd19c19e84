import CoreStore
import Foundation
import Logging
import NodeHTTP

/// Turns a verified spool file into a committed file: object stored, row committed (this is the
/// moment an upload becomes visible), previous version's object deleted, small objects pushed
/// to Redis. A failure before the commit leaves nothing visible; the spool is always deleted
/// by the caller.
struct UploadCommitter: Sendable {
    let objectStore: any ObjectStore
    let metadata: any MetadataStore
    let blobCache: (any BlobCache)?
    let metadataCache: RedisMetadataCache?
    let redisPushMaxBytes: Int64
    /// What one user may store; checked in the commit's transaction.
    var quota: StorageQuota = .unlimited
    /// At most this many pushes into Redis at once.
    let pushGate = BlobPushGate()
    let logger: Logger

    /// Stores and commits one upload.
    ///
    /// `preconditions` (`If-Match` / `If-None-Match`) are checked against the live version before
    /// anything is stored, and again right before the metadata commit. The store has no
    /// conditional commit, so a concurrent commit of the same name between that last lookup and
    /// this commit (one point query apart) is not seen (docs/api.md, "Conditional requests").
    /// - Returns: The committed record (or the identical current one, for an idempotent retry).
    /// - Throws: `.checksumMismatch`, `.preconditionFailed`, `.quotaExceeded`, `.objectStoreUnavailable`,
    ///   `.metadataUnavailable`, ...
    func commit(
        _ received: BodyReceiver.Received, fileID: FileID, key: ObjectKey, pipeline: MultipartPipeline,
        userID: UserID, fileName: FileName, contentType: String,
        preconditions: EntityTagPreconditions? = nil
    ) async throws -> FileRecord {
        let body = received.body
        let current = try await metadata.record(userID: userID, fileName: fileName)
        try preconditions?.check(current: current)
        if let current, current.size == body.size, current.md5 == body.md5, current.contentType == contentType {
            await pipeline.abort()
            return current  // an idempotent retry of an upload that already succeeded
        }
        try await pipeline.finish(body, lastPart: received.lastPart, userID: userID, fileName: fileName)
        let record = FileRecord(
            fileID: fileID, userID: userID, fileName: fileName, objectKey: key, size: body.size, md5: body.md5,
            contentType: contentType, createdAt: FileRecord.commitTime())
        let replaced: FileRecord?
        do {
            if let preconditions, !preconditions.isEmpty {
                try preconditions.check(current: try await metadata.record(userID: userID, fileName: fileName))
            }
            replaced = try await metadata.commit(record, quota: quota)
        } catch let error as CoreStoreError where error.code == .metadataUnavailable {
            // The commit's answer may have been lost after the commit landed: look again. A row
            // with this file id means success; otherwise the object stays for the sweeper, which
            // deletes it once no late commit can land (the route hands it the journal).
            guard let current = try? await metadata.record(userID: userID, fileName: fileName),
                current.fileID == fileID
            else { throw error }
            logger.notice("commit landed although its answer was lost", metadata: ["file.id": "\(fileID)"])
            replaced = nil  // a replaced version stays pending deletion; the sweeper deletes it
        } catch {
            try? await objectStore.deleteObject(key: key)  // never leave an object no row points at
            throw error
        }
        try? await metadataCache?.invalidate(userID: userID, fileName: fileName)
        if let replaced { await deleteReplaced(replaced) }
        await pushToRedis(body, fileID: fileID)
        return record
    }

    /// Deletes a file: the row first (it stops being visible), then the object.
    ///
    /// `preconditions` are checked against the live version right before the removal (the same
    /// remaining window as ``commit(_:fileID:key:pipeline:userID:fileName:contentType:preconditions:)``).
    /// - Throws: `.fileNotFound`, `.preconditionFailed`, `.metadataUnavailable`.
    func delete(userID: UserID, fileName: FileName, preconditions: EntityTagPreconditions? = nil) async throws {
        if let preconditions, !preconditions.isEmpty {
            let current = try await metadata.record(userID: userID, fileName: fileName)
            try preconditions.check(current: current)
        }
        guard let removed = try await metadata.remove(userID: userID, fileName: fileName) else {
            throw CoreStoreError(.fileNotFound)
        }
        try? await metadataCache?.invalidate(userID: userID, fileName: fileName)
        await deleteReplaced(removed)
    }

    /// Deletes the object of a record that is no longer live, then forgets the row. Failures
    /// leave the row pending; the sweeper retries.
    func deleteReplaced(_ record: FileRecord) async {
        do {
            try await objectStore.deleteObject(key: record.objectKey)
            try await metadata.purge(fileID: record.fileID)
            try? await blobCache?.remove(fileID: record.fileID)
        } catch {
            logger.warning(
                "old object not deleted yet; the sweeper will retry",
                metadata: ["file.id": "\(record.fileID)", "error": "\(error)"])
        }
    }

    private func pushToRedis(_ body: SpooledBody, fileID: FileID) async {
        guard let blobCache, body.size <= redisPushMaxBytes else { return }
        await pushGate.ifAvailable {
            do {
                try await blobCache.store(fileAt: body.path, size: body.size, for: fileID)
            } catch {
                logger.info("redis push skipped", metadata: ["file.id": "\(fileID)", "error": "\(error)"])
            }
        }
    }
}
