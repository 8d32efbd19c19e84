internal import CStubs

/// The state of an MD5 computation at a 64-byte boundary: the four state words and the byte
/// count. Serialized as 48 hex digits (the words, then the count, little-endian), so an upload's
/// hash can stop on one node and go on on another.
public struct MD5Checkpoint: Sendable, Equatable, Codable {
    /// The state words (a, b, c, d).
    public var words: [UInt32]
    /// Bytes hashed so far (a multiple of 64).
    public var byteCount: UInt64

    /// The state before any byte.
    public static let initial = MD5Checkpoint(
        words: [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476], byteCount: 0)

    /// Creates a checkpoint from its parts.
    /// - Parameters:
    ///   - words: The four state words.
    ///   - byteCount: Bytes hashed so far.
    public init(words: [UInt32], byteCount: UInt64) {
        self.words = words
        self.byteCount = byteCount
    }

    /// Parses the 48-hex-digit form.
    /// - Throws: `.internalError` for anything else (a corrupt stored state).
    public init(serialized text: String) throws(CoreStoreError) {
        guard text.utf8.count == 48, let bytes = ContentDigest.decodeHex(text) else {
            throw CoreStoreError(.internalError)
        }
        func word(_ at: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        var words: [UInt32] = []
        for index in 0..<4 {
            words.append((0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[index * 4 + $1]) << (8 * UInt32($1)) })
        }
        let count = word(16)
        guard count % 64 == 0 else { throw CoreStoreError(.internalError) }
        self.init(words: words, byteCount: count)
    }

    /// The 48-hex-digit form.
    public var serialized: String {
        var bytes: [UInt8] = []
        for word in words {
            for shift in stride(from: 0, to: 32, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
            }
        }
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: byteCount >> UInt64(shift)))
        }
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}

/// A streaming MD5 (the portable block kernel, ``MD5Checkpoint`` in and out) for uploads that
/// arrive in pieces across requests and nodes.
public struct ResumableMD5: Sendable {
    private var words: [UInt32]
    private var count: UInt64
    private var carry: [UInt8] = []

    /// Starts a new hash, or goes on from `checkpoint`.
    /// - Parameter checkpoint: Where an earlier computation stopped.
    public init(resuming checkpoint: MD5Checkpoint = .initial) {
        words = checkpoint.words
        count = checkpoint.byteCount
    }

    /// Bytes fed so far (including those before the checkpoint).
    public var byteCount: UInt64 { count }

    /// The state now, when it stands on a 64-byte boundary (`nil` otherwise).
    public var checkpoint: MD5Checkpoint? {
        carry.isEmpty ? MD5Checkpoint(words: words, byteCount: count) : nil
    }

    /// Feeds bytes.
    /// - Parameter bytes: The next bytes of the stream.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        count += UInt64(bytes.count)
        var start = 0
        if !carry.isEmpty {
            let take = min(64 - carry.count, bytes.count)
            carry += bytes[0..<take]
            start = take
            if carry.count == 64 {
                cstubs_md5_blocks(&words, carry, 1)
                carry.removeAll(keepingCapacity: true)
            }
        }
        let blocks = (bytes.count - start) / 64
        if blocks > 0 {
            cstubs_md5_blocks(&words, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, blocks)
            start += blocks * 64
        }
        if start < bytes.count { carry += bytes[start...] }
    }

    /// The digest of everything fed.
    public func finalize() -> ContentDigest {
        MD5Padding.digest(words: words, tail: carry, byteCount: count)
    }
}
