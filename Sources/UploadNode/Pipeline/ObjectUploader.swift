import CoreStore
import Foundation
import Logging

/// Puts a spooled body into the object store: one PUT up to the multipart threshold, a
/// parallel multipart upload above it (parts read from the spool file by offset, each with its
/// own Content-MD5). A journal beside the spool file names the multipart upload while it is in
/// flight, so a crash can be cleaned up on restart.
struct ObjectUploader: Sendable {
    let store: any ObjectStore
    let thresholdBytes: Int64
    let partBytes: Int64
    let partConcurrency: Int
    let logger: Logger

    /// Uploads the body under `key`.
    /// - Throws: `.checksumMismatch`, `.objectStoreUnavailable`, `.objectStoreRejected`.
    func upload(_ body: SpooledBody, key: ObjectKey, contentType: String, journalPath: String) async throws {
        guard body.size > thresholdBytes, let multipart = store as? any MultipartObjectStore else {
            try await store.putObject(
                key: key, fromFile: body.path, size: body.size, md5: body.md5, contentType: contentType)
            return
        }
        let uploadID = try await multipart.createMultipartUpload(key: key, contentType: contentType)
        var journal = UploadJournal(key: key, uploadID: uploadID, parts: [])
        do {
            try journal.write(to: journalPath)
            journal.parts = try await uploadParts(of: body, key: key, uploadID: uploadID, store: multipart)
            try await multipart.completeMultipartUpload(key: key, uploadID: uploadID, parts: journal.parts)
        } catch {
            try? await multipart.abortMultipartUpload(key: key, uploadID: uploadID)
            throw error
        }
    }

    private func uploadParts(
        of body: SpooledBody, key: ObjectKey, uploadID: String, store: any MultipartObjectStore
    ) async throws -> [CompletedPart] {
        let ranges = stride(from: Int64(0), to: body.size, by: Int(partBytes)).map { offset in
            (number: Int(offset / partBytes) + 1, offset: offset, length: min(partBytes, body.size - offset))
        }
        let path = body.path
        return try await withThrowingTaskGroup(of: CompletedPart.self) { group in
            var parts: [CompletedPart] = []
            var next = ranges.makeIterator()
            func addNext() throws {
                guard let part = next.next() else { return }
                let md5 = try PartDigest.md5(ofFile: path, offset: part.offset, length: part.length)
                group.addTask {
                    try await store.uploadPart(
                        key: key, uploadID: uploadID, partNumber: part.number, fromFile: path, offset: part.offset,
                        length: part.length, md5: md5)
                }
            }
            for _ in 0..<partConcurrency { try addNext() }
            while let part = try await group.next() {
                parts.append(part)
                try addNext()
            }
            return parts.sorted { $0.partNumber < $1.partNumber }
        }
    }
}

/// MD5 of a byte range of a file (a multipart part's Content-MD5).
enum PartDigest {
    /// Reads the range in 1 MiB blocks and hashes it.
    static func md5(ofFile path: String, offset: Int64, length: Int64) throws -> ContentDigest {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CoreStoreError(.internalError) }
        defer { close(fd) }
        var hasher = MD5Hasher()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var done: Int64 = 0
        while done < length {
            let want = Int(min(Int64(buffer.count), length - done))
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset + done)) }
            guard got > 0 else { throw CoreStoreError(.internalError) }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            done += Int64(got)
        }
        return hasher.finalize()
    }
}
