public import Foundation
public import NIOCore

/// What the object store knows about one object.
public struct ObjectInfo: Sendable, Equatable {
    /// Size in bytes.
    public var size: Int64
    /// The store's ETag, unquoted (not necessarily an MD5: multipart ETags are not).
    public var etag: String?

    /// Creates an info value.
    public init(size: Int64, etag: String?) {
        self.size = size
        self.etag = etag
    }
}

/// Where the bytes live: the source of truth for file contents. Objects are immutable.
///
/// Every method throws ``CoreStoreError``; `.objectStoreUnavailable` means "retry later".
public protocol ObjectStore: Sendable {
    /// Stores `size` bytes of the file at `path` under `key`; the store verifies `md5`.
    /// - Throws: `.checksumMismatch`, `.objectStoreUnavailable`, `.objectStoreRejected`.
    func putObject(key: ObjectKey, fromFile path: String, size: Int64, md5: ContentDigest, contentType: String)
        async throws

    /// Writes the object, or the inclusive byte `range` of it, into a new file at `path`.
    /// - Returns: The number of bytes written.
    /// - Throws: `.objectNotFound`, `.rangeNotSatisfiable`, `.objectStoreUnavailable`.
    func getObject(key: ObjectKey, range: ClosedRange<Int64>?, toFile path: String) async throws -> Int64

    /// Streams the object, or the inclusive byte `range`, to `consumer` chunk by chunk; the
    /// consumer's `await` is the backpressure (memory stays bounded however slow it is).
    /// - Throws: `.objectNotFound`, `.rangeNotSatisfiable`, `.objectStoreUnavailable`, or what `consumer` throws.
    func streamObject(
        key: ObjectKey, range: ClosedRange<Int64>?,
        to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws

    /// Size and ETag of an object.
    /// - Throws: `.objectNotFound`, `.objectStoreUnavailable`.
    func headObject(key: ObjectKey) async throws -> ObjectInfo

    /// Deletes an object; deleting a missing object succeeds.
    /// - Throws: `.objectStoreUnavailable`, `.objectStoreRejected`.
    func deleteObject(key: ObjectKey) async throws

    /// Cheap reachability check for readiness probes.
    /// - Throws: `.objectStoreUnavailable`, `.objectStoreRejected`.
    func checkReachable() async throws
}

/// The optional capability of a store on the node's own file system: it takes a spooled file
/// as it is (a hard link and an `fsync`, no copy), when the caller has already verified its MD5.
public protocol FileAdoptingObjectStore: ObjectStore {
    /// Publishes the verified file at `path` (`size` bytes) as `key` without copying its bytes;
    /// falls back to a copy when the file lives on another file system.
    /// - Throws: `.objectStoreUnavailable`, `.insufficientStorage`.
    func adoptObject(key: ObjectKey, file path: String, size: Int64, md5: ContentDigest) async throws
}

/// A finished part of a multipart upload.
public struct CompletedPart: Sendable, Equatable, Codable {
    /// 1-based part number.
    public var partNumber: Int
    /// The part's ETag as the store returned it, unquoted.
    public var etag: String

    /// Creates a part.
    public init(partNumber: Int, etag: String) {
        self.partNumber = partNumber
        self.etag = etag
    }
}

/// A multipart upload the store reports as still in progress.
public struct PendingMultipartUpload: Sendable, Equatable {
    /// The object key it will create.
    public var key: ObjectKey
    /// The store's upload id.
    public var uploadID: String
    /// When it was started.
    public var initiated: Date

    /// Creates a value.
    public init(key: ObjectKey, uploadID: String, initiated: Date) {
        self.key = key
        self.uploadID = uploadID
        self.initiated = initiated
    }
}

/// The optional multipart capability (S3): large objects uploaded as parts, in parallel.
public protocol MultipartObjectStore: ObjectStore {
    /// Starts a multipart upload and returns its upload id.
    /// - Throws: `.objectStoreUnavailable`, `.objectStoreRejected`.
    func createMultipartUpload(key: ObjectKey, contentType: String) async throws -> String

    /// Uploads `length` bytes from the file at `path`, starting at `offset`, as part `partNumber`.
    /// - Throws: `.checksumMismatch`, `.objectStoreUnavailable`, `.objectStoreRejected`.
    func uploadPart(
        key: ObjectKey, uploadID: String, partNumber: Int, fromFile path: String, offset: Int64, length: Int64,
        md5: ContentDigest
    ) async throws -> CompletedPart

    /// Completes the upload from its parts (ascending part numbers).
    /// - Throws: `.objectStoreUnavailable`, `.objectStoreRejected`.
    func completeMultipartUpload(key: ObjectKey, uploadID: String, parts: [CompletedPart]) async throws

    /// Aborts the upload; aborting an unknown upload succeeds.
    /// - Throws: `.objectStoreUnavailable`.
    func abortMultipartUpload(key: ObjectKey, uploadID: String) async throws

    /// Lists in-progress uploads whose keys start with `prefix`.
    /// - Throws: `.objectStoreUnavailable`, `.objectStoreRejected`.
    func listMultipartUploads(prefix: String) async throws -> [PendingMultipartUpload]
}
