internal import CStubs

/// MD5's last step over the portable block kernel, shared by ``ResumableMD5`` and ``MD5Stream``:
/// the padding (RFC 1321 §3.1–3.2) and the state words as the digest.
enum MD5Padding {
    /// The digest of a stream whose whole blocks are in `words`.
    /// - Parameters:
    ///   - words: The state after the stream's last whole 64-byte block.
    ///   - tail: The bytes after that block (fewer than 64).
    ///   - byteCount: Bytes in the whole stream.
    /// - Returns: The MD5 digest.
    static func digest(words: [UInt32], tail: [UInt8], byteCount: UInt64) -> ContentDigest {
        var state = words
        var padded = tail + [0x80]
        padded += [UInt8](repeating: 0, count: (119 - tail.count) % 64)
        let bits = byteCount &* 8
        for shift in stride(from: 0, to: 64, by: 8) { padded.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        cstubs_md5_blocks(&state, padded, padded.count / 64)
        var digest: [UInt8] = []
        for word in state {
            for shift in stride(from: 0, to: 32, by: 8) {
                digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
            }
        }
        return ContentDigest(bytes: digest)!
    }
}
