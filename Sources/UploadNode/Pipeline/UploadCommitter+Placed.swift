import CoreStore
import Foundation
import Logging

extension UploadCommitter {
    /// Commits a finished resumable upload whose object is already in place, with the same
    /// semantics as a normal upload: an identical live version wins (the new object is deleted,
    /// docs/decisions/0004), otherwise the row switches atomically, the replaced version's object
    /// is deleted and a small file is pushed to Redis (from `localCopy`, when the node has one).
    ///
    /// Repeating it is safe: a file id already live is returned as it is, and the store ignores a
    /// second commit of a file id. A failed commit leaves the object for a retry (or the expiry).
    /// - Returns: The live record.
    /// - Throws: `.quotaExceeded` (the user's storage quota, checked in the commit like any upload),
    ///   `.metadataUnavailable`, `.internalError` for a corrupt upload state.
    func commitPlaced(_ upload: ResumableUpload, localCopy: String?) async throws -> FileRecord {
        guard let fileID = FileID(upload.fileID) else { throw CoreStoreError(.internalError) }
        let userID = try UserID(validating: upload.userID)
        let fileName = try FileName(validating: upload.fileName)
        let md5 = try ContentDigest(parsing: upload.expectedMD5)
        let key = ObjectKey(rawValue: upload.objectKey)
        let current = try await metadata.record(userID: userID, fileName: fileName)
        if let current, current.fileID == fileID { return current }
        if let current, current.size == upload.length, current.md5 == md5, current.contentType == upload.contentType {
            try? await objectStore.deleteObject(key: key)
            return current
        }
        let record = FileRecord(
            fileID: fileID, userID: userID, fileName: fileName, objectKey: key, size: upload.length, md5: md5,
            contentType: upload.contentType, createdAt: FileRecord.commitTime())
        let replaced = try await metadata.commit(record, quota: quota)
        try? await metadataCache?.invalidate(userID: userID, fileName: fileName)
        if let replaced { await deleteReplaced(replaced) }
        if let localCopy, let blobCache, upload.length <= redisPushMaxBytes {
            _ = await pushGate.ifAvailable {
                do {
                    try await blobCache.store(fileAt: localCopy, size: upload.length, for: fileID)
                } catch {
                    logger.info("redis push skipped", metadata: ["file.id": "\(fileID)", "error": "\(error)"])
                }
            }
        }
        return record
    }
}
