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
    /// MD5 of the part (its Content-MD5).
    var md5: ContentDigest
}

/// Cuts the byte stream into fixed-size parts as it passes and hashes each part, so multipart
/// uploads never re-read the spool to compute a part's Content-MD5.
struct PartTracker {
    let partBytes: Int64
    private var number = 1
    private var offset: Int64 = 0
    private var filled: Int64 = 0
    private var md5 = MD5Hasher()

    init(partBytes: Int64) {
        self.partBytes = partBytes
    }

    /// Accounts a slice; returns the parts it completed (usually none, at most a few).
    mutating func consume(_ slice: ByteBuffer) -> [SpooledPart] {
        var completed: [SpooledPart] = []
        slice.withUnsafeReadableBytes { bytes in
            var start = 0
            while start < bytes.count {
                let take = min(bytes.count - start, Int(partBytes - filled))
                md5.update(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + take)]))
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
        let part = SpooledPart(number: number, offset: offset, length: filled, md5: md5.finalize())
        number += 1
        offset += filled
        filled = 0
        md5 = MD5Hasher()
        return part
    }
}
