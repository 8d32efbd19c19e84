import CoreStore
import NIOCore

/// One finished part of a spooled body: where it is in the spool file and its MD5.
struct SpooledPart: Sendable {
    /// 1-based part number.
    var number: Int
    /// Offset in the spool file.
    var offset: Int64
    /// Length in bytes.
    var length: Int64
    /// MD5 of the part (its Content-MD5), when it was computed in-stream.
    var md5: ContentDigest?
}

/// Cuts the byte stream into fixed-size parts as it passes and, when the upload is expected to go
/// up as a multipart upload, hashes each part so its Content-MD5 needs no second read. (Uploads
/// that will be one PUT skip the per-part MD5: it would double the upload's hashing cost.)
struct PartTracker {
    let partBytes: Int64
    let hashing: Bool
    private var number = 1
    private var offset: Int64 = 0
    private var filled: Int64 = 0
    private var md5 = MD5Hasher()

    init(partBytes: Int64, hashing: Bool) {
        self.partBytes = partBytes
        self.hashing = hashing
    }

    /// Accounts a slice; returns the parts it completed (usually none, at most a few).
    mutating func consume(_ slice: ByteBuffer) -> [SpooledPart] {
        var completed: [SpooledPart] = []
        slice.withUnsafeReadableBytes { bytes in
            var start = 0
            while start < bytes.count {
                let take = min(bytes.count - start, Int(partBytes - filled))
                if hashing { md5.update(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + take)])) }
                filled += Int64(take)
                start += take
                if filled == partBytes { completed.append(closePart()) }
            }
        }
        return completed
    }

    /// The last, partial part (`nil` when the body ended exactly on a part boundary).
    mutating func finish() -> SpooledPart? {
        filled > 0 ? closePart() : nil
    }

    private mutating func closePart() -> SpooledPart {
        let part = SpooledPart(number: number, offset: offset, length: filled, md5: hashing ? md5.finalize() : nil)
        number += 1
        offset += filled
        filled = 0
        md5 = MD5Hasher()
        return part
    }
}
