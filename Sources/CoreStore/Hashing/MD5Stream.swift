import NIOConcurrencyHelpers
public import NIOCore

/// One MD5 computation fed chunk by chunk and hashed on ``MD5LaneHasher``'s thread, alongside
/// the other uploads in flight.
///
/// ``update(_:)`` queues the chunk's whole blocks (the buffer is retained, not copied) and returns
/// at once unless more than the hasher's ``MD5LaneHasher/highWaterBytes`` are queued, so hashing
/// overlaps the caller's own work (receiving, writing the spool). ``finalize()`` waits for the
/// queue and pads. Feed one stream from one task at a time.
public final class MD5Stream: @unchecked Sendable {
    /// Queued bytes above which ``update(_:)`` waits for the hasher while it has a lane free.
    public static let highWaterBytes = 64 * 1024
    /// The same when more streams are queued than the hasher has lanes: they wait anyway, and at
    /// 1000 uploads a deep queue per stream is ~100 MiB that the kernel can buffer instead.
    public static let crowdedHighWaterBytes = 16 * 1024

    private let hasher: MD5LaneHasher
    private let lock = NIOLock()
    // Guarded by `lock`.
    private var pending = CircularBuffer<ByteBuffer>()
    private var pendingBytes = 0
    private var queued = false
    private var words: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476]
    private var drainWaiter: CheckedContinuation<Void, Never>?
    private var spaceWaiter: CheckedContinuation<Void, Never>?
    // Owned by the feeding task.
    private var carry: [UInt8] = []
    private var totalBytes: UInt64 = 0

    /// A new stream hashed by `hasher`.
    public init(hasher: MD5LaneHasher = .shared) {
        self.hasher = hasher
    }

    /// Feeds the readable bytes of `chunk`.
    public func update(_ chunk: ByteBuffer) async {
        var chunk = chunk
        totalBytes += UInt64(chunk.readableBytes)
        if !carry.isEmpty {
            let take = min(64 - carry.count, chunk.readableBytes)
            carry += chunk.readBytes(length: take)!
            if carry.count == 64 {
                append(ByteBuffer(bytes: carry))
                carry.removeAll(keepingCapacity: true)
            }
        }
        let whole = chunk.readableBytes & ~63
        if whole > 0 { append(chunk.readSlice(length: whole)!) }
        if chunk.readableBytes > 0 { carry += chunk.readableBytesView }
        await waitForSpace()
    }

    /// The digest of everything fed (waits for the queued blocks).
    public func finalize() async -> ContentDigest {
        await withCheckedContinuation { continuation in
            let done = lock.withLock {
                if queued { drainWaiter = continuation }
                return !queued
            }
            if done { continuation.resume() }
        }
        return MD5Padding.digest(words: lock.withLock { words }, tail: carry, byteCount: totalBytes)
    }

    private func append(_ blocks: ByteBuffer) {
        let first = lock.withLock {
            pending.append(blocks)
            pendingBytes += blocks.readableBytes
            defer { queued = true }
            return !queued
        }
        if first { hasher.enqueue(self) }
    }

    private func waitForSpace() async {
        let highWater = hasher.highWaterBytes
        guard lock.withLock({ pendingBytes > highWater }) else { return }
        await withCheckedContinuation { continuation in
            let ready = lock.withLock {
                if pendingBytes > highWater { spaceWaiter = continuation }
                return pendingBytes <= highWater
            }
            if ready { continuation.resume() }
        }
    }

    // MARK: - Hasher side

    /// The state words (a, b, c, d).
    var state: [UInt32] { lock.withLock { words } }

    /// The oldest queued chunk.
    func firstPending() -> ByteBuffer? {
        lock.withLock { pending.first }
    }

    /// Records that the oldest queued chunk is hashed (`save` writes the new state) and returns
    /// the next one, or `nil` when the queue is empty (the stream is then off the hasher).
    func completeFirst(save: (inout [UInt32]) -> Void) -> ByteBuffer? {
        let lowWater = hasher.highWaterBytes / 2
        var wake: [CheckedContinuation<Void, Never>] = []
        let next: ByteBuffer? = lock.withLock {
            save(&words)
            let done = pending.removeFirst()
            pendingBytes -= done.readableBytes
            if pendingBytes <= lowWater, let waiter = spaceWaiter {
                spaceWaiter = nil
                wake.append(waiter)
            }
            if let next = pending.first { return next }
            queued = false
            if let waiter = drainWaiter {
                drainWaiter = nil
                wake.append(waiter)
            }
            return nil
        }
        for continuation in wake { continuation.resume() }
        return next
    }
}
