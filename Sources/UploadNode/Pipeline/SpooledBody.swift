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
/// to checksum it; crossing `limit` throws `.payloadTooLarge` at once.
struct UploadDigestMeter {
    private(set) var size: Int64 = 0
    private var md5 = MD5Hasher()
    private let xxh3 = XXH3Hasher()
    let limit: Int64

    init(limit: Int64) {
        self.limit = limit
    }

    /// Accounts one chunk.
    /// - Throws: `.payloadTooLarge` when the running count crosses the limit.
    mutating func consume(_ chunk: ByteBuffer) throws(CoreStoreError) {
        size += Int64(chunk.readableBytes)
        guard size <= limit else { throw CoreStoreError(.payloadTooLarge) }
        chunk.withUnsafeReadableBytes { bytes in
            md5.update(bytes)
            xxh3.update(bytes)
        }
    }

    /// The spooled body's description.
    func finish(path: String) -> SpooledBody {
        SpooledBody(path: path, size: size, md5: md5.finalize(), xxh3: xxh3.digest())
    }
}
