import CoreStore
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The upload node's local spool: one `<upload-id>.part` file per in-flight upload, plus a
/// `<upload-id>.journal` naming the S3 multipart upload it started (if any) and, before the object
/// is placed in the store, the object key with its owner (``UploadJournal``).
///
/// Journals are written through ``JournalFiles``, which keeps finished journals' files as
/// `<random>.idle` for the next ones.
///
/// On start-up everything left here belongs to uploads whose request ended with the process:
/// ``setAsideLeftovers(logger:)`` keeps their journals as `<upload-id>.unresolved` and deletes every
/// other file before the node serves; once the backends run, the sweeper's
/// ``resolveLeftovers(objectStore:metadata:logger:)`` aborts the multipart uploads the journals name
/// and deletes each journaled object that no live row points at (an upload killed between placing
/// its object and committing its row), retrying while the metadata store cannot be read.
struct SpoolDirectory: Sendable {
    let path: String
    /// The files journals are written into.
    let journals: JournalFiles

    init(path: String) throws {
        self.path = path
        journals = JournalFiles(directory: path)
        try PrivateFileModes.makeDirectory(path)
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

    /// Deletes a spooled upload's body and retires its journal (``JournalFiles/retire(_:)``).
    func discard(_ names: SpoolFileNames) {
        unlink(names.data)
        journals.retire(names.journal)
    }

    /// Writes an upload's journal atomically (it replaces the previous one whole); with `durable`,
    /// `fsync`s it first.
    ///
    /// The owner journal written before every object placement is not `durable`: a killed process's
    /// page cache survives it, and on ext4 (data=ordered) the `fsync` of a small file commits the
    /// file-system journal, which flushes the dirty spool pages of every upload in flight: 14.6 vs
    /// ~9.5 ms of CPU per 5 MiB upload at 100 connections. A host that loses power can therefore
    /// leave the objects of its last uploads without a journal (as it loses its spool anyway).
    /// - Throws: `.insufficientStorage` when it cannot be encoded or written.
    func writeJournal(_ journal: UploadJournal, of names: SpoolFileNames, durable: Bool = true) throws(CoreStoreError) {
        guard let encoded = try? JSONEncoder().encode(journal) else { throw CoreStoreError(.insufficientStorage) }
        try journals.write([UInt8](encoded), to: names.journal, durable: durable)
    }

    /// Deletes a failed upload's body but hands its journal to the sweeper as `<upload-id>.uncertain`:
    /// used when the backends' state is uncertain after the failure (a commit whose answer was lost
    /// may still land; the multipart upload may not have been aborted). Unlike a crashed process's
    /// journal, its object is deleted only after the grace period (a late commit would otherwise
    /// leave a row without its object).
    func handOver(_ names: SpoolFileNames) {
        unlink(names.data)
        rename(names.journal, String(names.journal.dropLast(".journal".count)) + ".uncertain")
    }

    /// Sets aside what an earlier process left (call before the node serves): its journals become
    /// `<upload-id>.unresolved` for ``resolveLeftovers(objectStore:metadata:logger:)`` (which needs
    /// the backends running), every other file (bodies, idle journal files) is deleted.
    /// - Returns: How many uploads were left.
    @discardableResult
    func setAsideLeftovers(logger: Logger) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var left = 0
        for entry in entries where !entry.hasSuffix(".unresolved") && !entry.hasSuffix(".uncertain") {
            let entryPath = "\(path)/\(entry)"
            if entry.hasSuffix(".journal") {
                rename(entryPath, String(entryPath.dropLast(".journal".count)) + ".unresolved")
            } else {
                unlink(entryPath)
                if entry.hasSuffix(".part") { left += 1 }
            }
        }
        if left > 0 { logger.notice("removed leftover spool files", metadata: ["spool.files": "\(left)"]) }
        return left
    }

    /// Resolves the journals set aside at start-up (and those handed over by ``handOver(_:)``, whose
    /// objects wait for the grace period): aborts their multipart uploads and deletes their
    /// objects unless a live row points at them. A journal stays (and is checked again every pass)
    /// until `graceSeconds` after it was written: a request the dead process had sent to the object
    /// store may still complete after a check, and the next check deletes what it left. A journal
    /// whose row cannot be read stays too. The sweeper calls this first in every pass.
    func resolveLeftovers(
        objectStore: any ObjectStore, metadata: any MetadataStore, graceSeconds: Double, logger: Logger
    ) async {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for entry in entries where entry.hasSuffix(".unresolved") || entry.hasSuffix(".uncertain") {
            let journalPath = "\(path)/\(entry)"
            guard let journal = UploadJournal.read(from: journalPath) else {
                unlink(journalPath)
                continue
            }
            let written =
                (try? FileManager.default.attributesOfItem(atPath: journalPath)[.modificationDate] as? Date) ?? nil
            let settled = Date().timeIntervalSince(written ?? .distantPast) >= graceSeconds
            let resolved = await journal.cleanUp(
                objectStore: objectStore, metadata: metadata, mayDelete: settled || entry.hasSuffix(".unresolved"),
                logger: logger)
            if resolved && settled { unlink(journalPath) }
        }
    }
}

/// The two files of one spooled upload.
struct SpoolFileNames: Sendable {
    /// The body bytes.
    var data: String
    /// The multipart journal.
    var journal: String
}

/// The journal of an in-flight upload: its multipart upload (enough to abort it after a crash) and,
/// once the object is about to be placed, the owner, so recovery can tell a committed object from
/// an orphan.
struct UploadJournal: Codable, Sendable {
    var key: ObjectKey
    /// The S3 multipart upload, if one was started.
    var uploadID: String?
    /// The owner and name, recorded before the object is placed (`nil` until then).
    var userID: String?
    var fileName: String?

    /// After a crash: aborts every multipart upload of the key still in progress (the journaled one,
    /// and any that a request still in flight at the crash created) and deletes the object unless a
    /// live row points at it.
    /// Returns `false` when the store or the owner's row could not be read (retry later).
    /// - Parameter mayDelete: Whether the object may be deleted yet: not before the grace period,
    ///   since a commit sent before the failure may still land (then `false` is returned).
    func cleanUp(
        objectStore: any ObjectStore, metadata: any MetadataStore, mayDelete: Bool = true, logger: Logger
    ) async -> Bool {
        if let multipart = objectStore as? any MultipartObjectStore {
            do {
                let pending = try await multipart.listMultipartUploads(prefix: key.rawValue).filter { $0.key == key }
                for uploadID in Set(pending.map(\.uploadID)) {
                    try await multipart.abortMultipartUpload(key: key, uploadID: uploadID)
                    logger.notice(
                        "aborted multipart upload left by a crash",
                        metadata: ["s3.key": "\(key)", "s3.upload_id": "\(uploadID)"])
                }
            } catch {
                logger.warning(
                    "could not abort multipart upload; the sweeper will retry",
                    metadata: ["s3.key": "\(key)", "error": "\(error)"])
                return false
            }
        }
        guard let userID = userID.flatMap({ try? UserID(validating: $0) }),
            let fileName = fileName.flatMap({ try? FileName(validating: $0) })
        else { return true }  // the object was never placed
        do {
            guard try await metadata.record(userID: userID, fileName: fileName)?.objectKey != key else { return true }
            guard mayDelete else { return false }
            try await objectStore.deleteObject(key: key)
            logger.notice(
                "deleted the object of an upload that ended before its commit", metadata: ["s3.key": "\(key)"])
            return true
        } catch {
            logger.warning(
                "leftover upload not resolved yet; the sweeper will retry",
                metadata: ["s3.key": "\(key)", "error": "\(error)"])
            return false
        }
    }

    /// Reads a journal; `nil` if missing or unreadable.
    static func read(from path: String) -> UploadJournal? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(UploadJournal.self, from: data)
    }
}
