import CoreStore
import NIOCore

/// What was received: a complete spool file and what was computed while writing it.
struct SpooledBody: Sendable {
    /// The spool file's path.
    var path: String
    /// Bytes written.
    var size: Int64
    /// MD5 of the bytes.
    var md5: ContentDigest
    /// XXH3-64 of the bytes (internal integrity).
    var xxh3: UInt64
}

/// Counts, hashes and limits the bytes of one upload on their way into the spool file.
///
/// The MD5 and XXH3 are updated per chunk as the bytes pass, so the file is never read back
/// to checksum it; crossing `limit` throws `.payloadTooLarge` at once. The MD5 runs on
/// ``MD5LaneHasher``'s thread, batched with the other uploads in flight.
struct UploadDigestMeter {
    private(set) var size: Int64 = 0
    private let md5 = MD5Stream()
    private let xxh3 = XXH3Hasher()
    let limit: Int64

    init(limit: Int64) {
        self.limit = limit
    }

    /// Accounts one chunk.
    /// - Throws: `.payloadTooLarge` when the running count crosses the limit.
    mutating func consume(_ chunk: ByteBuffer) async throws(CoreStoreError) {
        size += Int64(chunk.readableBytes)
        guard size <= limit else { throw CoreStoreError(.payloadTooLarge) }
        chunk.withUnsafeReadableBytes { xxh3.update($0) }
        await md5.update(chunk)
    }

    /// The spooled body's description (waits for the MD5 of the last chunks).
    func finish(path: String) async -> SpooledBody {
        SpooledBody(path: path, size: size, md5: await md5.finalize(), xxh3: xxh3.digest())
    }
}
