import CoreStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import NodeHTTP

/// Appends one request's bytes to a resumable upload and, when they complete it, assembles,
/// verifies and commits the file (docs/decisions/0022-resumable-upload-state.md).
///
/// A request that carries the whole file from offset 0 (the common case: creation-with-upload, or
/// one `PATCH`) is hashed while it streams into the spool, on the SIMD lane hasher as a `PUT` is,
/// and placed at once. Any other request's bytes are spooled after the upload's tail (fetched
/// from the object store), then hashed in one pass; every complete part goes to the object
/// store, the bytes past the last part become a new tail object, and the new state is written
/// with an optimistic check on the offset the request started from. Only then is the old tail
/// deleted. A request that loses the check changes nothing the upload's state points at (it
/// deletes its own tail and parts it started).
///
/// Every tail object is in the metadata store's tail journal (``ResumablePendingTail``) whenever
/// no upload row names it: recorded before the new tail's first byte is written, removed by the
/// row update that names it, added again by the update or removal that retires it, and removed
/// once its object is deleted. A node that dies anywhere in between leaves an entry, which
/// ``PendingTailSweep`` (or the upload's termination or expiry) resolves.
struct ResumableAppender: Sendable {
    let store: any ResumablePartStore
    let uploads: any ResumableUploadStore
    let committer: UploadCommitter
    let spool: SpoolDirectory
    let reservations: SpoolReservationBudget
    /// Where the spool is read and hashed (never on the cooperative pool).
    let pool: BlockingPool
    let minimumBytesPerSecond: Int64
    let rateWindowSeconds: Double
    let logger: Logger

    /// Appends `body` to `upload`, whose offset the client matched.
    /// - Parameters:
    ///   - upload: The state the request starts from.
    ///   - body: The request body.
    ///   - declaredLength: The body's `Content-Length`, if declared.
    ///   - checksum: The request's `Upload-Checksum`, if any.
    /// - Returns: The upload's state afterwards (its offset is `length` once committed) and, when
    ///   this request completed it, the committed file.
    /// - Throws: `.uploadChecksumMismatch` (nothing kept), `.payloadTooLarge` (past `Upload-Length`),
    ///   `.uploadOffsetMismatch` (another request advanced it first), `.checksumMismatch` (the whole
    ///   file's MD5; the upload is discarded), `.clientClosedRequest` after keeping what arrived, and
    ///   object- and metadata-store errors.
    func append(
        _ upload: ResumableUpload, body: RequestBody, declaredLength: Int64?, checksum: RequestChecksum?
    ) async throws -> ResumableAppendResult {
        let remaining = upload.length - upload.offset
        if let declaredLength, declaredLength > remaining { throw CoreStoreError(.payloadTooLarge) }
        let names = spool.newUpload()
        defer { spool.discard(names) }
        let tail = upload.tailLength
        if tail > 0, let tailKey = upload.tailKey {
            let fetched = try await store.getObject(key: ObjectKey(rawValue: tailKey), range: nil, toFile: names.data)
            guard fetched == tail else {
                logger.error("resumable tail object has the wrong size", metadata: ["upload.id": "\(upload.id)"])
                throw CoreStoreError(.internalError)
            }
        }
        // A request that declares the whole file (creation-with-upload, or one PATCH from offset 0)
        // is hashed as it streams in, on the SIMD lane hasher like a PUT, and placed without a
        // second pass over the spool.
        let streamed = upload.offset == 0 && declaredLength == upload.length ? MD5Stream() : nil
        let (received, interruption) = try await receive(
            body, into: names.data, after: tail, remaining: remaining, declaredLength: declaredLength,
            checksum: checksum, hashing: streamed)
        let newOffset = upload.offset + received
        if let streamed {
            let digest = await streamed.finalize()
            if interruption == nil, newOffset == upload.length {
                return try await placeWhole(upload, spooled: names.data, digest: digest)
            }
        }
        guard received > 0 || newOffset == upload.length else {
            if let interruption { throw interruption }
            return ResumableAppendResult(upload: upload, record: nil)
        }
        let advanced = try await store(
            upload, spooled: names.data, bytes: tail + received, newOffset: newOffset, scratch: names.journal)
        if let interruption { throw interruption }
        return advanced
    }

    /// Finishes an upload whose state already holds every byte (offset = length): assembles the
    /// parts unless the object is already there, commits the file and removes the upload's row.
    /// Safe to repeat (a node that died half-way leaves such a state; `HEAD` and `PATCH` finish it).
    /// - Throws: Object- and metadata-store errors.
    @discardableResult
    func finish(_ upload: ResumableUpload, localCopy: String? = nil) async throws -> FileRecord {
        let key = ObjectKey(rawValue: upload.objectKey)
        if let multipartID = upload.multipartID {
            let placed = try? await store.headObject(key: key)
            if placed?.size != upload.length {
                try await store.assembleParts(key: key, uploadID: multipartID, parts: upload.parts)
            }
        }
        let record: FileRecord
        do {
            record = try await committer.commitPlaced(upload, localCopy: localCopy)
        } catch let error as CoreStoreError where error.code == .quotaExceeded {
            try? await discard(upload)  // the file does not fit the user's quota: nothing of it stays
            throw error
        }
        // The removal journals the row's tail, so a node that dies before deleting it leaks nothing.
        let removed = try await uploads.removeUpload(id: upload.id, userID: record.userID)
        if let tailKey = removed?.tailKey { try? await dropTail(tailKey, of: upload.id, userID: record.userID) }
        return record
    }

    /// Removes an upload: its parts, the tails its requests are writing (their journal entries are
    /// claimed, so none of them can be adopted afterwards), an assembled object no live row points
    /// at, then its row and the tail the row named (termination, expiry, a whole-file MD5 mismatch).
    /// - Throws: Object- and metadata-store errors (the row, or the journal entry, stays, so a
    ///   retry finds it).
    func discard(_ upload: ResumableUpload) async throws {
        let key = ObjectKey(rawValue: upload.objectKey)
        let userID = try UserID(validating: upload.userID)
        if let multipartID = upload.multipartID { try await store.discardParts(key: key, uploadID: multipartID) }
        for pending in try await uploads.claimPendingTails(uploadID: upload.id, userID: userID) {
            try await dropTail(pending.tailKey, of: upload.id, userID: userID)
        }
        let fileName = try FileName(validating: upload.fileName)
        if try await committer.metadata.record(userID: userID, fileName: fileName)?.fileID.rawValue != upload.fileID {
            try await store.deleteObject(key: key)
        }
        // The removal journals the row's tail; dropping it here deletes the object once (a failure
        // leaves the entry to the sweeper).
        let removed = try await uploads.removeUpload(id: upload.id, userID: userID)
        if let tailKey = removed?.tailKey { try? await dropTail(tailKey, of: upload.id, userID: userID) }
    }

    /// Deletes a tail object no row names, then its journal entry (a failure keeps the entry for
    /// the sweeper).
    /// - Throws: Object- and metadata-store errors.
    func dropTail(_ tailKey: String, of uploadID: String, userID: UserID) async throws {
        try await store.deleteObject(key: ObjectKey(rawValue: tailKey))
        try await uploads.removePendingTail(key: tailKey, uploadID: uploadID, userID: userID)
    }

    // MARK: - Steps

    /// Spools the body after the tail, checking the length, the minimum rate and the request's
    /// checksum. A client that goes away mid-body (and sent no checksum) keeps what arrived.
    private func receive(
        _ body: RequestBody, into path: String, after tail: Int64, remaining: Int64, declaredLength: Int64?,
        checksum: RequestChecksum?, hashing streamed: MD5Stream?
    ) async throws -> (Int64, (any Error)?) {
        var checksum = checksum
        let file = try SpoolFile(path: path, expectedBytes: declaredLength, budget: reservations, keepingFirst: tail)
        var rate = TransferRateGuard(
            minimumBytesPerSecond: minimumBytesPerSecond, windowSeconds: rateWindowSeconds, start: .now)
        var received: Int64 = 0
        do {
            for try await chunk in body {
                try rate.record(bytes: chunk.readableBytes, at: .now)
                received += Int64(chunk.readableBytes)
                guard received <= remaining else { throw CoreStoreError(.payloadTooLarge) }
                if checksum != nil { chunk.withUnsafeReadableBytes { checksum!.update($0) } }
                if let streamed { await streamed.update(chunk) }
                try file.append(chunk)
            }
        } catch {
            guard checksum == nil, ErrorResponse.coreStoreError(from: error).code == .clientClosedRequest else {
                throw error
            }
            file.releaseUnusedReservation()
            return (received, error)
        }
        file.releaseUnusedReservation()
        if let checksum, !checksum.matches { throw CoreStoreError(.uploadChecksumMismatch) }
        return (received, nil)
    }

    /// Stores the spooled bytes (`upload.durableOffset ..< durableOffset + bytes`) and advances
    /// the state, or completes and commits the upload when they reach its length.
    private func store(
        _ upload: ResumableUpload, spooled path: String, bytes: Int64, newOffset: Int64, scratch: String
    ) async throws -> ResumableAppendResult {
        let partBytes = upload.partBytes
        let isFinal = newOffset == upload.length
        let fullParts = bytes / partBytes
        let remainder = bytes - fullParts * partBytes
        if isFinal, upload.multipartID == nil {  // every byte is in this spool file: one placement
            let whole = try await pool.run { () throws -> ContentDigest in
                var md5 = ResumableMD5(resuming: upload.md5)
                try SpoolPartHashing.hash(path: path, length: bytes, running: &md5)
                return md5.finalize()
            }
            return try await placeWhole(upload, spooled: path, digest: whole)
        }
        var ranges = (0..<fullParts).map { SpoolPartHashing.Range(offset: $0 * partBytes, length: partBytes) }
        let tailRange = SpoolPartHashing.Range(offset: fullParts * partBytes, length: remainder)
        // One pass over the spool on the blocking pool (reads and MD5 of up to a whole file).
        let pass = try await pool.run { [ranges] () throws -> HashPass in
            var md5 = ResumableMD5(resuming: upload.md5)
            let digests = try SpoolPartHashing.hash(path: path, ranges: ranges, running: &md5)
            guard let checkpoint = md5.checkpoint else { throw CoreStoreError(.internalError) }
            guard isFinal else { return HashPass(digests: digests, checkpoint: checkpoint, last: [], whole: nil) }
            let last = try SpoolPartHashing.hash(path: path, ranges: remainder > 0 ? [tailRange] : [], running: &md5)
            return HashPass(digests: digests, checkpoint: checkpoint, last: last, whole: md5.finalize())
        }
        var digests = pass.digests
        let checkpoint = pass.checkpoint
        if isFinal {
            let lastDigests = pass.last
            guard pass.whole?.hex == upload.expectedMD5 else {
                try? await discard(upload)
                throw CoreStoreError(.checksumMismatch)
            }
            if remainder > 0 {
                ranges.append(tailRange)
                digests += lastDigests
            }
        }
        let userID = try UserID(validating: upload.userID)
        var next = upload
        var started: String?
        if next.multipartID == nil, !ranges.isEmpty {
            started = try await store.beginParts(
                key: ObjectKey(rawValue: upload.objectKey), contentType: upload.contentType)
            next.multipartID = started
        }
        var newTail: String?
        do {
            let firstNumber = Int(upload.durableOffset / partBytes) + 1
            for (index, range) in ranges.enumerated() {
                next.parts.append(
                    try await store.storePart(
                        key: ObjectKey(rawValue: upload.objectKey), uploadID: next.multipartID!,
                        partNumber: firstNumber + index, fromFile: path, offset: range.offset, length: range.length,
                        md5: digests[index]))
            }
            next.offset = newOffset
            next.durableOffset = isFinal ? newOffset : upload.durableOffset + fullParts * partBytes
            next.md5 = checkpoint
            next.tailKey = nil
            if !isFinal, remainder > 0 {
                let key = ObjectKey(rawValue: "\(upload.objectKey).tail.\(ResumableUpload.newID())")
                let tailMD5 = try await pool.run { () throws -> ContentDigest in
                    try SpoolPartHashing.copy(tailRange, of: path, to: scratch)
                    return try Self.md5(ofFile: scratch, length: remainder)
                }
                // Journaled before its first byte is written: a node that dies from here until
                // the row update leaves the entry, and the sweeper deletes the object.
                try await uploads.recordPendingTail(
                    ResumablePendingTail(userID: userID, uploadID: upload.id, tailKey: key.rawValue, createdAt: Date()))
                newTail = key.rawValue
                try await store.putObject(
                    key: key, fromFile: scratch, size: remainder, md5: tailMD5, contentType: "application/octet-stream")
                next.tailKey = key.rawValue
            }
            // Adopts the new tail's journal entry and journals the old tail, in the row's transaction.
            guard try await uploads.advanceUpload(next, from: upload.offset, replacingTail: upload.tailKey) else {
                throw CoreStoreError(.uploadOffsetMismatch)
            }
        } catch {
            if let newTail { try? await dropTail(newTail, of: upload.id, userID: userID) }
            if let started {
                try? await store.discardParts(key: ObjectKey(rawValue: upload.objectKey), uploadID: started)
            }
            throw error
        }
        if let old = upload.tailKey { try? await dropTail(old, of: upload.id, userID: userID) }
        let record = isFinal ? try await finish(next) : nil
        return ResumableAppendResult(upload: next, record: record)
    }

    /// Completes an upload whose every byte is in the spool file at `path`, hashed to `digest`:
    /// checks the announced MD5 (a mismatch discards the upload), places the file and commits it.
    private func placeWhole(
        _ upload: ResumableUpload, spooled path: String, digest: ContentDigest
    ) async throws -> ResumableAppendResult {
        guard digest.hex == upload.expectedMD5 else {
            try? await discard(upload)
            throw CoreStoreError(.checksumMismatch)
        }
        try await place(upload, path: path)
        var done = upload
        done.offset = upload.length
        let record = try await finish(done, localCopy: path)
        return ResumableAppendResult(upload: done, record: record)
    }

    /// Places a whole file from one spool file (a local store adopts it without a copy).
    private func place(_ upload: ResumableUpload, path: String) async throws {
        let key = ObjectKey(rawValue: upload.objectKey)
        let md5 = try ContentDigest(parsing: upload.expectedMD5)
        if let local = store as? any FileAdoptingObjectStore {
            try await local.adoptObject(key: key, file: path, size: upload.length, md5: md5)
        } else {
            try await store.putObject(
                key: key, fromFile: path, size: upload.length, md5: md5, contentType: upload.contentType)
        }
    }

    private static func md5(ofFile path: String, length: Int64) throws(CoreStoreError) -> ContentDigest {
        var unused = ResumableMD5()
        var digests = try SpoolPartHashing.hash(
            path: path, ranges: [.init(offset: 0, length: length)], running: &unused)
        return digests.removeFirst()
    }
}

/// What one append did.
struct ResumableAppendResult: Sendable {
    /// The upload's state afterwards (offset = length once committed; its row is then gone).
    var upload: ResumableUpload
    /// The committed file, when this request completed the upload.
    var record: FileRecord?
}

/// What one hashing pass over the spool found.
private struct HashPass: Sendable {
    /// The `Content-MD5` of each whole part.
    var digests: [ContentDigest]
    /// The upload's MD5 state after the whole parts.
    var checkpoint: MD5Checkpoint
    /// The `Content-MD5` of the last, partial part (final request only).
    var last: [ContentDigest]
    /// The whole file's MD5 (final request only).
    var whole: ContentDigest?
}
