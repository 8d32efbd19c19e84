internal import CStubs

/// XXH3-64 from the system `libxxhash` (its AVX2/AVX-512 kernels on x86-64, about 20 GB/s from
/// memory): internal integrity checks and key sharding.
public enum XXH3 {
    /// Hashes a buffer in one call.
    /// - Parameter bytes: The data.
    /// - Returns: The 64-bit XXH3 hash.
    public static func hash64(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { cstubs_xxh3_64($0.baseAddress, $0.count) }
    }

    /// Hashes a raw buffer in one call.
    /// - Parameter buffer: The data.
    /// - Returns: The 64-bit XXH3 hash.
    public static func hash64(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        cstubs_xxh3_64(buffer.baseAddress, buffer.count)
    }
}

/// A streaming XXH3-64 hasher; owns one `XXH3_state_t`.
///
/// Not thread-safe: one task feeds it at a time (it is a value moved between awaits, never shared).
public final class XXH3Hasher {
    private let state: OpaquePointer

    /// Creates a hasher with seed 0.
    public init() {
        state = XXH3_createState()
        XXH3_64bits_reset(state)
    }

    deinit { XXH3_freeState(state) }

    /// Feeds bytes.
    /// - Parameter buffer: The next bytes of the stream.
    public func update(_ buffer: UnsafeRawBufferPointer) {
        guard buffer.count > 0 else { return }
        cstubs_xxh3_update(state, buffer.baseAddress, buffer.count)
    }

    /// The hash of everything fed so far.
    public func digest() -> UInt64 { XXH3_64bits_digest(state) }
}
