internal import CStubs
import Foundation
import NIOCore
import Synchronization

/// Hashes many ``MD5Stream``s at once on one dedicated thread, up to sixteen at a time in vector lanes.
///
/// MD5 is a serial chain (one stream runs at ~0.9 GB/s per core whatever the code), but independent
/// streams can share vector instructions: with enough uploads in flight the thread advances sixteen
/// of them per instruction in AVX-512 lanes, or eight per instruction twice in AVX2 lanes
/// (multi-buffer hashing, as Intel ISA-L and minio/md5-simd do; ``SIMDKernels/md5`` picks the
/// kernel at run time). Streams queue whole 64-byte blocks; the thread gives each waiting stream a
/// lane for one queued chunk at a time (round robin), runs the vector kernel on each group of lanes
/// with at least ``MD5Kernel/minimumBusyLanes`` busy and the portable one-stream code otherwise.
/// With the scalar kernel the thread still takes the hashing off the request threads.
public final class MD5LaneHasher: @unchecked Sendable {
    /// The process-wide hasher (its thread starts on first use).
    public static let shared = MD5LaneHasher()

    /// The kernel this hasher runs.
    public let kernel: MD5Kernel

    /// Streams in lanes at once (one AVX-512 call, or two AVX2 calls).
    public static let laneCount = 16
    /// Longest run of blocks between lane refills (keeps waiting streams moving).
    private static let maxBlocksPerRun = 256

    /// Streams with queued blocks, in a lane or waiting for one.
    private let queuedStreams = Atomic<Int>(0)

    /// How many bytes a stream may queue before its feeder waits, now.
    public var highWaterBytes: Int { Self.highWaterBytes(queuedStreams: queuedStreams.load(ordering: .relaxed)) }

    /// ``MD5Stream/highWaterBytes`` while every queued stream fits in a lane,
    /// ``MD5Stream/crowdedHighWaterBytes`` beyond.
    public static func highWaterBytes(queuedStreams: Int) -> Int {
        queuedStreams > laneCount ? MD5Stream.crowdedHighWaterBytes : MD5Stream.highWaterBytes
    }

    private let condition = NSCondition()
    /// Streams with queued chunks and no lane (guarded by `condition`).
    private var ready = CircularBuffer<MD5Stream>()
    private var sleeping = false
    private var started = false
    private var counters = Statistics()

    /// What the hasher has done so far (for tests and tuning).
    public struct Statistics: Sendable {
        /// Vector kernel runs, counted in blocks per lane.
        public var vectorBlockRounds = 0
        /// The lane-blocks those runs hashed for streams (≤ the lane count per block-round).
        public var vectorLaneBlocks = 0
        /// Blocks hashed by the one-stream code.
        public var singleBlocks = 0

        /// All zero.
        public init() {}
    }

    /// A snapshot of the counters.
    public var statistics: Statistics {
        condition.lock()
        defer { condition.unlock() }
        return counters
    }

    // Owned by the hashing thread.
    private var lanes = [Lane?](repeating: nil, count: MD5LaneHasher.laneCount)
    private var states = [UInt32](repeating: 0, count: 64)
    /// Readable filler for idle lanes.
    private let idleBlocks = [UInt8](repeating: 0, count: 64 * MD5LaneHasher.maxBlocksPerRun)

    private struct Lane {
        var stream: MD5Stream
        var chunk: ByteBuffer
        /// Bytes of `chunk` already hashed (a pointer into it is only taken inside
        /// `withUnsafeReadableBytes`, for one kernel call).
        var offset = 0
        var blocksLeft: Int

        /// The stream's lane for `chunk`, from its first block.
        init(stream: MD5Stream, chunk: ByteBuffer) {
            self.stream = stream
            self.chunk = chunk
            blocksLeft = chunk.readableBytes / 64
        }
    }

    /// A hasher with its own thread (``shared`` serves the process; tests make their own).
    /// - Parameter kernel: The kernel to run; its instruction set must be in ``SIMDKernels/allowed``.
    public init(kernel: MD5Kernel = SIMDKernels.md5) {
        if let feature = kernel.feature {
            precondition(SIMDKernels.allowed.contains(feature), "MD5 kernel \(kernel) needs \(feature)")
        }
        self.kernel = kernel
    }

    /// Queues a stream that has just got its first pending chunk (called with the stream's lock released).
    func enqueue(_ stream: MD5Stream) {
        queuedStreams.add(1, ordering: .relaxed)
        condition.lock()
        if !started {
            started = true
            // The thread holds the hasher strongly: it never stops, so a hasher lives as long as
            // the process once used (one per process in the nodes; tests make a few).
            Thread { self.run() }.start()
        }
        ready.append(stream)
        if sleeping { condition.signal() }
        condition.unlock()
    }

    private func run() {
        // Foundation on Linux names a thread only from the thread itself: set it here, so `top -H`,
        // `perf` and scripts/bench see `md5-lanes` instead of the creator's name.
        _ = cstubs_name_current_thread("md5-lanes")
        let groups = stride(from: 0, to: Self.laneCount, by: kernel.width).map { $0..<($0 + kernel.width) }
        while true {
            fillLanes()
            for group in groups {
                let busy = group.filter { lanes[$0] != nil }
                if busy.count < kernel.minimumBusyLanes {
                    for index in busy { runAlone(index) }
                } else {
                    runVector(busy, in: group)
                }
            }
        }
    }

    /// Gives idle lanes to waiting streams; sleeps while there is nothing to do.
    private func fillLanes() {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !lanes.contains(where: { $0 != nil }) {
            sleeping = true
            condition.wait()
            sleeping = false
        }
        for index in lanes.indices where lanes[index] == nil {
            guard let stream = ready.popFirst() else { break }
            guard let chunk = stream.firstPending() else {
                queuedStreams.subtract(1, ordering: .relaxed)
                continue
            }
            let state = stream.state
            for word in 0..<4 { states[word * 16 + index] = state[word] }
            lanes[index] = Lane(stream: stream, chunk: chunk)
        }
    }

    private func runAlone(_ index: Int) {
        guard var lane = lanes[index] else { return }
        var state = (0..<4).map { states[$0 * 16 + index] }
        lane.chunk.withUnsafeReadableBytes { bytes in
            cstubs_md5_blocks(
                &state, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + lane.offset, lane.blocksLeft)
        }
        condition.lock()
        counters.singleBlocks += lane.blocksLeft
        condition.unlock()
        for word in 0..<4 { states[word * 16 + index] = state[word] }
        lane.blocksLeft = 0
        lanes[index] = lane
        finishChunk(index)
    }

    /// Runs the vector kernel on one group of lanes (all 16, or 8 of them with AVX2).
    private func runVector(_ busy: [Int], in group: Range<Int>) {
        let blocks = min(Self.maxBlocksPerRun, busy.compactMap { lanes[$0]?.blocksLeft }.min() ?? 0)
        idleBlocks.withUnsafeBufferPointer { idle in
            var pointers = [UnsafePointer<UInt8>?](repeating: idle.baseAddress, count: group.count)
            pinning(busy[...], into: &pointers, groupStart: group.lowerBound) { pointers in
                states.withUnsafeMutableBufferPointer { states in
                    pointers.withUnsafeBufferPointer { data in
                        let state = states.baseAddress! + group.lowerBound
                        switch kernel {
                        case .avx512x16: cstubs_md5x16_blocks(state, data.baseAddress, blocks)
                        case .avx2x8: cstubs_md5x8_blocks(state, data.baseAddress, blocks)
                        case .scalar: cstubs_md5_lanes_portable(state, data.baseAddress, Int32(group.count), blocks)
                        }
                    }
                }
            }
        }
        condition.lock()
        counters.vectorBlockRounds += blocks
        counters.vectorLaneBlocks += blocks * busy.count
        condition.unlock()
        for index in busy {
            guard var lane = lanes[index] else { continue }
            lane.offset += 64 * blocks
            lane.blocksLeft -= blocks
            lanes[index] = lane
            if lane.blocksLeft == 0 { finishChunk(index) }
        }
    }

    /// Calls `body` with the busy lanes' read pointers in `pointers`, each taken inside its
    /// chunk's `withUnsafeReadableBytes` and valid for the whole call (one nesting per lane, at
    /// most sixteen): no pointer outlives the closure that lent it.
    private func pinning(
        _ busy: ArraySlice<Int>, into pointers: inout [UnsafePointer<UInt8>?], groupStart: Int,
        _ body: (inout [UnsafePointer<UInt8>?]) -> Void
    ) {
        guard let index = busy.first, let lane = lanes[index] else {
            if busy.isEmpty {
                body(&pointers)
            } else {
                pinning(busy.dropFirst(), into: &pointers, groupStart: groupStart, body)
            }
            return
        }
        lane.chunk.withUnsafeReadableBytes { bytes in
            pointers[index - groupStart] = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + lane.offset
            pinning(busy.dropFirst(), into: &pointers, groupStart: groupStart, body)
        }
    }

    /// The lane's chunk is hashed: hands the lane the stream's next chunk, or (when others wait or
    /// the stream has nothing queued) stores the state back and frees the lane.
    private func finishChunk(_ index: Int) {
        let stream = lanes[index]!.stream
        condition.lock()
        let othersWaiting = !ready.isEmpty
        condition.unlock()
        let next = stream.completeFirst { state in
            for word in 0..<4 { state[word] = states[word * 16 + index] }
        }
        guard let next else {
            lanes[index] = nil
            queuedStreams.subtract(1, ordering: .relaxed)
            return
        }
        if othersWaiting {
            lanes[index] = nil
            condition.lock()
            ready.append(stream)
            condition.unlock()
        } else {
            lanes[index] = Lane(stream: stream, chunk: next)
        }
    }
}
