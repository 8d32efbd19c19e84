/// The optional capability resumable uploads need (checked with `as?`): an object written as
/// numbered parts over many requests, from any node, then assembled. S3 stores map it to their
/// multipart upload; the embedded store keeps parts as files until it assembles them.
///
/// A part re-sent under the same number replaces the earlier one; assembling names each part's
/// `etag`, so a part replaced after its etag was recorded fails the assembly instead of
/// slipping in.
public protocol ResumablePartStore: ObjectStore {
    /// Starts a parted upload of `key` and returns its id.
    /// - Throws: `.objectStoreUnavailable`, `.objectStoreRejected`.
    func beginParts(key: ObjectKey, contentType: String) async throws -> String

    /// Stores `length` bytes of the file at `path` from `offset` as part `partNumber` (1-based).
    /// - Throws: `.checksumMismatch`, `.objectStoreUnavailable`, `.objectStoreRejected`.
    func storePart(
        key: ObjectKey, uploadID: String, partNumber: Int, fromFile path: String, offset: Int64, length: Int64,
        md5: ContentDigest
    ) async throws -> CompletedPart

    /// Publishes the parts (ascending) as the object `key`.
    /// - Throws: `.objectStoreUnavailable`, `.objectStoreRejected` (an unknown upload or part).
    func assembleParts(key: ObjectKey, uploadID: String, parts: [CompletedPart]) async throws

    /// Discards the upload and its parts; an unknown upload counts as discarded.
    /// - Throws: `.objectStoreUnavailable`.
    func discardParts(key: ObjectKey, uploadID: String) async throws
}

extension S3ObjectStore: ResumablePartStore {
    /// `CreateMultipartUpload`.
    public func beginParts(key: ObjectKey, contentType: String) async throws -> String {
        try await createMultipartUpload(key: key, contentType: contentType)
    }

    /// `UploadPart` with its `Content-MD5`.
    public func storePart(
        key: ObjectKey, uploadID: String, partNumber: Int, fromFile path: String, offset: Int64, length: Int64,
        md5: ContentDigest
    ) async throws -> CompletedPart {
        try await uploadPart(
            key: key, uploadID: uploadID, partNumber: partNumber, fromFile: path, offset: offset, length: length,
            md5: md5)
    }

    /// `CompleteMultipartUpload` (S3 checks each part's ETag).
    public func assembleParts(key: ObjectKey, uploadID: String, parts: [CompletedPart]) async throws {
        try await completeMultipartUpload(key: key, uploadID: uploadID, parts: parts)
    }

    /// `AbortMultipartUpload`.
    public func discardParts(key: ObjectKey, uploadID: String) async throws {
        try await abortMultipartUpload(key: key, uploadID: uploadID)
    }
}
