import CoreStore
import Logging

#if canImport(Glibc)
    import Glibc
#endif

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
    private let spool: SpoolDirectory
    private let names: SpoolFileNames
    private let thresholdBytes: Int64
    private let maxInFlight: Int
    private let logger: Logger
    private var waiting: [SpooledPart] = []
    private var inFlight: [Task<CompletedPart, any Error>] = []
    private var journal: UploadJournal?
    /// Whether ``finish(_:lastPart:userID:fileName:)`` began placing the object (the journal names
    /// the owner): after a failure from then on, the object may exist.
    private(set) var placementStarted = false

    init(
        store: any ObjectStore, key: ObjectKey, spool: SpoolDirectory, names: SpoolFileNames, thresholdBytes: Int64,
        maxInFlight: Int, logger: Logger
    ) {
        self.store = store
        self.key = key
        self.spool = spool
        self.names = names
        self.thresholdBytes = thresholdBytes
        self.maxInFlight = max(1, maxInFlight)
        self.logger = logger
    }

    /// Whether parts should be hashed while they are spooled: the store takes multipart uploads
    /// and the body may cross the threshold (`declaredLength` unknown or above it).
    func expectsMultipart(declaredLength: Int64?) -> Bool {
        store is any MultipartObjectStore && (declaredLength ?? .max) > thresholdBytes
    }

    /// Offers a part that is complete in the spool file (flushed).
    /// - Throws: Object-store errors of the parts uploaded so far.
    func offer(_ part: SpooledPart) async throws {
        waiting.append(part)
        guard let multipart = store as? any MultipartObjectStore else { return }
        if journal == nil {
            guard part.offset + part.length > thresholdBytes else { return }
            // The key first: a create still in flight when the process dies can complete after it.
            try spool.writeJournal(UploadJournal(key: key, uploadID: nil), of: names, durable: false)
            let uploadID = try await multipart.createMultipartUpload(key: key, contentType: "application/octet-stream")
            let started = UploadJournal(key: key, uploadID: uploadID)
            journal = started  // before writing: abort() must see the upload even if the write fails
            try spool.writeJournal(started, of: names)
        }
        try await launchWaiting(multipart, bound: maxInFlight)
    }

    /// Puts the whole verified body into the store: completes the multipart upload with the last
    /// part, or sends one PUT when the body stayed under the threshold (a local store adopts the
    /// spool file instead of copying it). The journal names the owner first, so a crash between
    /// placing the object and committing its row leaves no orphan (``SpoolDirectory``).
    /// - Throws: `.checksumMismatch`, `.objectStoreUnavailable`, `.objectStoreRejected`,
    ///   `.insufficientStorage` when the journal cannot be written.
    func finish(_ body: SpooledBody, lastPart: SpooledPart?, userID: UserID, fileName: FileName) async throws {
        var intent = journal ?? UploadJournal(key: key, uploadID: nil)
        intent.userID = userID.rawValue
        intent.fileName = fileName.rawValue
        try spool.writeJournal(intent, of: names, durable: false)
        placementStarted = true
        guard let journal, let uploadID = journal.uploadID, let multipart = store as? any MultipartObjectStore else {
            if let local = store as? any FileAdoptingObjectStore {
                try await local.adoptObject(key: key, file: body.path, size: body.size, md5: body.md5)
            } else {
                try await store.putObject(
                    key: key, fromFile: body.path, size: body.size, md5: body.md5,
                    contentType: "application/octet-stream")
            }
            return
        }
        if let lastPart { waiting.append(lastPart) }
        try await launchWaiting(multipart, bound: 0)
        let parts = try await collect().sorted { $0.partNumber < $1.partNumber }
        try await multipart.completeMultipartUpload(key: key, uploadID: uploadID, parts: parts)
    }

    /// Abandons the upload: cancels part uploads and aborts the multipart upload, if any.
    /// - Returns: `false` when a multipart upload could not be aborted (the route then hands the
    ///   journal to the sweeper, which retries).
    @discardableResult
    func abort() async -> Bool {
        for task in inFlight { task.cancel() }
        for task in inFlight { _ = await task.result }
        inFlight.removeAll()
        guard let uploadID = journal?.uploadID, let multipart = store as? any MultipartObjectStore else { return true }
        do {
            try await multipart.abortMultipartUpload(key: key, uploadID: uploadID)
            return true
        } catch {
            logger.warning(
                "multipart upload not aborted; the sweeper will retry",
                metadata: ["s3.key": "\(key)", "error": "\(error)"])
            return false
        }
    }

    private var completed: [CompletedPart] = []

    /// Starts uploads for waiting parts, first waiting for old ones so at most `bound` stay in flight.
    private func launchWaiting(_ multipart: any MultipartObjectStore, bound: Int) async throws {
        guard let uploadID = journal?.uploadID else { return }
        for part in waiting {
            while inFlight.count >= maxInFlight {
                completed.append(try await inFlight.removeFirst().value)
            }
            let (key, path) = (self.key, names.data)
            inFlight.append(
                Task {
                    let md5 = try part.md5 ?? PartDigest.md5(ofFile: path, offset: part.offset, length: part.length)
                    return try await multipart.uploadPart(
                        key: key, uploadID: uploadID, partNumber: part.number, fromFile: path, offset: part.offset,
                        length: part.length, md5: md5)
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

/// MD5 of a byte range of the spool file, for parts that were not hashed in-stream.
enum PartDigest {
    /// Reads the range in 256 KiB blocks (below the malloc mmap threshold) and hashes it.
    static func md5(ofFile path: String, offset: Int64, length: Int64) throws -> ContentDigest {
        guard let file = try? OpenFile(path: path, flags: O_RDONLY) else { throw CoreStoreError(.internalError) }
        var hasher = MD5Hasher()
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        var done: Int64 = 0
        while done < length {
            let want = Int(min(Int64(buffer.count), length - done))
            let got = try? buffer.withUnsafeMutableBytes { space in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: space[0..<want]), at: offset + done)
            }
            guard let got, got > 0 else { throw CoreStoreError(.internalError) }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            done += Int64(got)
        }
        return hasher.finalize()
    }
}
