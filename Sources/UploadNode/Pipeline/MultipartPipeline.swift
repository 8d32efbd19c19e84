import CoreStore
import Logging

/// Moves a large upload into the object store while the client is still sending it.
///
/// Parts are offered as they are spooled. Once more than the threshold has arrived, the
/// pipeline starts a multipart upload (recorded in the journal beside the spool file, so a crash
/// can be cleaned up) and uploads parts from the spool file by offset, at most `maxInFlight` at a
/// time: when that many are in flight, offering the next part waits, which slows the client's
/// reads instead of growing memory. Bodies that never cross the threshold go up as one PUT.
/// Used by one task at a time (the upload's request task).
final class MultipartPipeline {
    private let store: any ObjectStore
    private let key: ObjectKey
    private let spoolPath: String
    private let journalPath: String
    private let thresholdBytes: Int64
    private let maxInFlight: Int
    private let logger: Logger
    private var waiting: [SpooledPart] = []
    private var inFlight: [Task<CompletedPart, any Error>] = []
    private var journal: UploadJournal?

    init(
        store: any ObjectStore, key: ObjectKey, spoolPath: String, journalPath: String, thresholdBytes: Int64,
        maxInFlight: Int, logger: Logger
    ) {
        self.store = store
        self.key = key
        self.spoolPath = spoolPath
        self.journalPath = journalPath
        self.thresholdBytes = thresholdBytes
        self.maxInFlight = max(1, maxInFlight)
        self.logger = logger
    }

    /// Whether a multipart upload was started.
    var isMultipart: Bool { journal != nil }

    /// Offers a part that is complete in the spool file (flushed).
    /// - Throws: Object-store errors of the parts uploaded so far.
    func offer(_ part: SpooledPart) async throws {
        waiting.append(part)
        guard let multipart = store as? any MultipartObjectStore else { return }
        if journal == nil {
            guard part.offset + part.length > thresholdBytes else { return }
            let uploadID = try await multipart.createMultipartUpload(key: key, contentType: "application/octet-stream")
            journal = UploadJournal(key: key, uploadID: uploadID, parts: [])
            try journal?.write(to: journalPath)
        }
        try await launchWaiting(multipart, bound: maxInFlight)
    }

    /// Puts the whole verified body into the store: completes the multipart upload with the last
    /// part, or sends one PUT when the body stayed under the threshold.
    /// - Throws: `.checksumMismatch`, `.objectStoreUnavailable`, `.objectStoreRejected`.
    func finish(_ body: SpooledBody, lastPart: SpooledPart?) async throws {
        guard let journal, let multipart = store as? any MultipartObjectStore else {
            try await store.putObject(
                key: key, fromFile: body.path, size: body.size, md5: body.md5, contentType: "application/octet-stream")
            return
        }
        if let lastPart { waiting.append(lastPart) }
        try await launchWaiting(multipart, bound: 0)
        let parts = try await collect().sorted { $0.partNumber < $1.partNumber }
        try await multipart.completeMultipartUpload(key: key, uploadID: journal.uploadID, parts: parts)
    }

    /// Abandons the upload: cancels part uploads and aborts the multipart upload, if any.
    func abort() async {
        for task in inFlight { task.cancel() }
        for task in inFlight { _ = await task.result }
        inFlight.removeAll()
        guard let journal, let multipart = store as? any MultipartObjectStore else { return }
        do {
            try await multipart.abortMultipartUpload(key: journal.key, uploadID: journal.uploadID)
        } catch {
            logger.warning(
                "multipart upload not aborted; the sweeper will retry",
                metadata: ["s3.key": "\(journal.key)", "error": "\(error)"])
        }
    }

    private var completed: [CompletedPart] = []

    /// Starts uploads for waiting parts, first waiting for old ones so at most `bound` stay in flight.
    private func launchWaiting(_ multipart: any MultipartObjectStore, bound: Int) async throws {
        guard let journal else { return }
        for part in waiting {
            while inFlight.count >= maxInFlight {
                completed.append(try await inFlight.removeFirst().value)
            }
            let (key, path, uploadID) = (self.key, spoolPath, journal.uploadID)
            inFlight.append(
                Task {
                    try await multipart.uploadPart(
                        key: key, uploadID: uploadID, partNumber: part.number, fromFile: path, offset: part.offset,
                        length: part.length, md5: part.md5)
                })
        }
        waiting.removeAll()
        while inFlight.count > bound {
            completed.append(try await inFlight.removeFirst().value)
        }
    }

    private func collect() async throws -> [CompletedPart] {
        while !inFlight.isEmpty {
            completed.append(try await inFlight.removeFirst().value)
        }
        return completed
    }
}
