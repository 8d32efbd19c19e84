import CoreStore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The upload node's local spool: one `<upload-id>.part` file per in-flight upload, plus a
/// `<upload-id>.journal` naming the S3 multipart upload it started (if any).
///
/// On start-up everything left here belongs to uploads that never answered 200 (the process
/// died), so ``recover(objectStore:logger:)`` aborts the multipart uploads the journals name
/// and deletes every file.
struct SpoolDirectory: Sendable {
    let path: String

    init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Bytes held by spool files at `path` (the `uds_spool_bytes` gauge).
    static func usedBytes(at path: String) -> Int64 {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return entries.reduce(Int64(0)) { total, entry in
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(path)/\(entry)")[.size] as? Int64) ?? nil
            return total + (size ?? 0)
        }
    }

    /// A fresh spool file path for an upload.
    func newUpload() -> SpoolFileNames {
        let id = FileID.generate().rawValue
        return SpoolFileNames(data: "\(path)/\(id).part", journal: "\(path)/\(id).journal")
    }

    /// Deletes a spooled upload's files.
    func discard(_ names: SpoolFileNames) {
        unlink(names.data)
        unlink(names.journal)
    }

    /// Cleans up after a crash: aborts journaled multipart uploads, deletes every leftover file.
    /// - Returns: How many uploads were cleaned.
    @discardableResult
    func recover(objectStore: any ObjectStore, logger: Logger) async -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var cleaned = 0
        for entry in entries where entry.hasSuffix(".journal") {
            let journalPath = "\(path)/\(entry)"
            if let journal = UploadJournal.read(from: journalPath),
                let multipart = objectStore as? any MultipartObjectStore
            {
                do {
                    try await multipart.abortMultipartUpload(key: journal.key, uploadID: journal.uploadID)
                    logger.notice(
                        "aborted multipart upload left by a crash",
                        metadata: ["s3.key": "\(journal.key)", "s3.upload_id": "\(journal.uploadID)"])
                } catch {
                    logger.warning(
                        "could not abort multipart upload; the sweeper will retry",
                        metadata: ["s3.key": "\(journal.key)", "error": "\(error)"])
                }
            }
        }
        for entry in entries {
            unlink("\(path)/\(entry)")
            if entry.hasSuffix(".part") { cleaned += 1 }
        }
        if cleaned > 0 { logger.notice("removed leftover spool files", metadata: ["spool.files": "\(cleaned)"]) }
        return cleaned
    }
}

/// The two files of one spooled upload.
struct SpoolFileNames: Sendable {
    /// The body bytes.
    var data: String
    /// The multipart journal.
    var journal: String
}

/// The journal of an in-flight multipart upload: enough to abort it after a crash.
struct UploadJournal: Codable, Sendable {
    var key: ObjectKey
    var uploadID: String
    var parts: [CompletedPart]

    /// Writes the journal durably (temp file, fsync, rename).
    func write(to path: String) throws {
        let data = try JSONEncoder().encode(self)
        let temp = path + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CoreStoreError(.insufficientStorage) }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        guard written == data.count, rename(temp, path) == 0 else { throw CoreStoreError(.insufficientStorage) }
    }

    /// Reads a journal; `nil` if missing or unreadable.
    static func read(from path: String) -> UploadJournal? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(UploadJournal.self, from: data)
    }
}
