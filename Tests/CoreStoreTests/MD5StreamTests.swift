import CStubs
import CoreStore
import Foundation
import NIOCore
import Testing

@Suite("MD5Stream (multi-buffer MD5)")
struct MD5StreamTests {
    /// Feeds `data` in chunks of the given sizes (cycled) and returns the digest.
    static func digest(_ data: [UInt8], chunkSizes: [Int], hasher: MD5LaneHasher = .shared) async -> ContentDigest {
        let stream = MD5Stream(hasher: hasher)
        var offset = 0
        var index = 0
        while offset < data.count {
            let size = min(chunkSizes[index % chunkSizes.count], data.count - offset)
            await stream.update(ByteBuffer(bytes: data[offset..<(offset + size)]))
            offset += size
            index += 1
        }
        return await stream.finalize()
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    @Test("every length around the padding boundaries matches swift-crypto's MD5")
    func paddingBoundaries() async {
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000] {
            let data = Self.randomBytes(length, seed: UInt64(length))
            let got = await Self.digest(data, chunkSizes: [max(1, length)])
            #expect(got == MD5Hasher.digest(data), "length \(length)")
        }
    }

    @Test("known answer: MD5 of \"abc\"")
    func knownAnswer() async {
        let got = await Self.digest(Array("abc".utf8), chunkSizes: [1])
        #expect(got.hex == "900150983cd24fb0d6963f7d28e17f72")
    }

    @Test("odd chunkings of one stream give the same digest")
    func chunkings() async {
        let data = Self.randomBytes(300_001, seed: 7)
        let expected = MD5Hasher.digest(data)
        for sizes in [[1], [63, 65], [64], [7, 4096, 100_000], [65_536], [300_001]] {
            let got = await Self.digest(data, chunkSizes: sizes)
            #expect(got == expected, "chunks \(sizes)")
        }
    }

    @Test("40 concurrent streams (the 16-lane kernel path) each get their own digest")
    func concurrentStreams() async {
        let inputs = (0..<40).map { Self.randomBytes(50_000 + $0 * 3_001, seed: UInt64(100 + $0)) }
        let results = await withTaskGroup(of: (Int, ContentDigest).self) { group in
            for (index, data) in inputs.enumerated() {
                group.addTask { (index, await Self.digest(data, chunkSizes: [4096 + index * 61, 1_000])) }
            }
            var results: [Int: ContentDigest] = [:]
            for await (index, digest) in group { results[index] = digest }
            return results
        }
        for (index, data) in inputs.enumerated() {
            #expect(results[index] == MD5Hasher.digest(data), "stream \(index)")
        }
    }

    /// Runs `kernel` over 16 lanes of random blocks from odd starting states and expects each lane
    /// to end where the one-stream code ends.
    static func expectLanesMatchScalar(_ kernel: MD5Kernel) {
        let blocks = 5
        let inputs = (0..<16).map { Self.randomBytes(64 * blocks, seed: UInt64(500 + $0)) }
        var states = (0..<64).map { UInt32(truncatingIfNeeded: $0 &* 0x9E37_79B9) }
        var expected = states
        for lane in 0..<16 {
            var one = (0..<4).map { states[$0 * 16 + lane] }
            cstubs_md5_blocks(&one, inputs[lane], blocks)
            for word in 0..<4 { expected[word * 16 + lane] = one[word] }
        }
        let buffers = inputs.map { bytes -> UnsafeMutablePointer<UInt8> in
            let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
            pointer.initialize(from: bytes, count: bytes.count)
            return pointer
        }
        defer { for buffer in buffers { buffer.deallocate() } }
        let pointers: [UnsafePointer<UInt8>?] = buffers.map { UnsafePointer($0) }
        states.withUnsafeMutableBufferPointer { state in
            pointers.withUnsafeBufferPointer { data in
                for group in stride(from: 0, to: 16, by: kernel.width) {
                    let laneState = state.baseAddress! + group
                    let laneData = data.baseAddress! + group
                    switch kernel {
                    case .avx512x16: cstubs_md5x16_blocks(laneState, laneData, blocks)
                    case .avx2x8: cstubs_md5x8_blocks(laneState, laneData, blocks)
                    case .scalar: cstubs_md5_lanes_portable(laneState, laneData, 1, blocks)
                    }
                }
            }
        }
        #expect(states == expected, "kernel \(kernel)")
    }

    @Test(
        "the AVX-512 16-lane kernel advances each lane exactly as the one-stream code does",
        .requires(.avx512f))
    func sixteenLaneKernel() {
        Self.expectLanesMatchScalar(.avx512x16)
    }

    @Test(
        "the AVX2 8-lane kernel advances each lane exactly as the one-stream code does (both groups of 8)",
        .requires(.avx2))
    func eightLaneKernel() {
        Self.expectLanesMatchScalar(.avx2x8)
    }

    @Test("the portable lane loop advances each lane exactly as the one-stream code does")
    func portableLanes() {
        Self.expectLanesMatchScalar(.scalar)
    }

    /// Hashes 32 streams of 256 KiB through a new hasher running `kernel`, all first chunks queued
    /// before any is finished so the lanes fill up together; expects right digests and returns the
    /// hasher's counters.
    static func hashThirtyTwoStreams(kernel: MD5Kernel) async -> MD5LaneHasher.Statistics {
        let hasher = MD5LaneHasher(kernel: kernel)
        let inputs = (0..<32).map { Self.randomBytes(256 * 1024, seed: UInt64(900 + $0)) }
        let streams = inputs.map { _ in MD5Stream(hasher: hasher) }
        for (stream, data) in zip(streams, inputs) { await stream.update(ByteBuffer(bytes: data[..<32_768])) }
        for (stream, data) in zip(streams, inputs) { await stream.update(ByteBuffer(bytes: data[32_768...])) }
        for (stream, data) in zip(streams, inputs) {
            #expect(await stream.finalize() == MD5Hasher.digest(data), "kernel \(kernel)")
        }
        let statistics = hasher.statistics
        #expect(statistics.vectorLaneBlocks + statistics.singleBlocks == 32 * 4096)
        return statistics
    }

    @Test(
        "with many streams in flight the hasher runs the AVX-512 kernel",
        .requires(.avx512f))
    func avx512PathIsUsed() async {
        #expect(await Self.hashThirtyTwoStreams(kernel: .avx512x16).vectorBlockRounds > 0)
    }

    @Test(
        "with many streams in flight the hasher runs the AVX2 kernel",
        .requires(.avx2))
    func avx2PathIsUsed() async {
        #expect(await Self.hashThirtyTwoStreams(kernel: .avx2x8).vectorBlockRounds > 0)
    }

    @Test("the hashing thread is named md5-lanes (top -H, perf and scripts/bench find it by name)")
    func threadName() async throws {
        let hasher = MD5LaneHasher(kernel: .scalar)
        _ = await Self.digest(Self.randomBytes(4096, seed: 4_600), chunkSizes: [4096], hasher: hasher)
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        let names = tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
        #expect(names.contains("md5-lanes\n"))
    }

    @Test("the scalar hasher hashes every block one stream at a time")
    func scalarPathIsUsed() async {
        let statistics = await Self.hashThirtyTwoStreams(kernel: .scalar)
        #expect(statistics.vectorBlockRounds == 0)
        #expect(statistics.singleBlocks == 32 * 4096)
    }

    @Test("streams may queue 64 KiB while they fit in the lanes, 16 KiB when crowded, and the count drains")
    func crowdedHighWater() async throws {
        #expect(MD5LaneHasher.highWaterBytes(queuedStreams: 0) == MD5Stream.highWaterBytes)
        #expect(MD5LaneHasher.highWaterBytes(queuedStreams: MD5LaneHasher.laneCount) == MD5Stream.highWaterBytes)
        #expect(
            MD5LaneHasher.highWaterBytes(queuedStreams: MD5LaneHasher.laneCount + 1) == MD5Stream.crowdedHighWaterBytes)
        let hasher = MD5LaneHasher()
        let inputs = (0..<40).map { Self.randomBytes(200_000, seed: UInt64(1_300 + $0)) }
        await withTaskGroup(of: Void.self) { group in
            for data in inputs {
                group.addTask { _ = await Self.digest(data, chunkSizes: [32_768], hasher: hasher) }
            }
        }
        // Every stream has left the hasher (a stream is counted out just after its last chunk).
        var waited = 0
        while hasher.highWaterBytes != MD5Stream.highWaterBytes && waited < 200 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(hasher.highWaterBytes == MD5Stream.highWaterBytes)
    }

    @Test("a stream past the high-water mark waits and still hashes everything")
    func backpressure() async {
        let data = Self.randomBytes(3 * MD5Stream.highWaterBytes, seed: 9)
        let got = await Self.digest(data, chunkSizes: [MD5Stream.highWaterBytes + 64])
        #expect(got == MD5Hasher.digest(data))
    }
}
