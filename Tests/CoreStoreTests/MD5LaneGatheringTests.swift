import Foundation
import NIOCore
import TestSupport
import Testing

@testable import CoreStore

/// How ``MD5LaneHasher`` keeps its vector lanes full: it waits (up to its gather window) for
/// enough streams, a waiting feeder cuts the wait short, and AVX2's two groups are packed.
@Suite("MD5LaneHasher gathering and lane packing", .timeLimit(.minutes(1)))
struct MD5LaneGatheringTests {
    /// A window no test waits out: a missing wake-up fails the suite's time limit instead.
    static let endless = Duration.seconds(3600)

    @Test("two streams queued one after the other are hashed together in vector lanes, none alone", .requires(.avx2))
    func gathersBeforeHashing() async {
        let hasher = MD5LaneHasher(kernel: .avx2x8, gatherWindow: Self.endless)
        let inputs = (0..<2).map { MD5StreamTests.randomBytes(32 * 1024, seed: UInt64(4_200 + $0)) }
        let streams = inputs.map { _ in MD5Stream(hasher: hasher) }
        await streams[0].update(ByteBuffer(bytes: inputs[0]))
        // The thread has the first stream in a lane and waits for a second one.
        #expect(await eventually { hasher.statistics.gathers == 1 })
        await streams[1].update(ByteBuffer(bytes: inputs[1]))
        for (stream, data) in zip(streams, inputs) { #expect(await stream.finalize() == MD5Hasher.digest(data)) }
        let statistics = hasher.statistics
        #expect(statistics.singleBlocks == 0)
        #expect(statistics.vectorLaneBlocks == 2 * 512)
        #expect(statistics.vectorBlockRounds == 512, "both lanes in the same kernel calls")
    }

    @Test("a lone stream is hashed as soon as its feeder waits for the digest", .requires(.avx2))
    func finalizeEndsTheWait() async {
        let hasher = MD5LaneHasher(kernel: .avx2x8, gatherWindow: Self.endless)
        let data = MD5StreamTests.randomBytes(32 * 1024, seed: 4_300)
        let stream = MD5Stream(hasher: hasher)
        await stream.update(ByteBuffer(bytes: data))
        #expect(await stream.finalize() == MD5Hasher.digest(data))
        #expect(hasher.statistics.singleBlocks == 512)
        #expect(hasher.statistics.gathers >= 1)
    }

    @Test("a lone stream past its high-water mark is hashed while its feeder waits for space", .requires(.avx2))
    func backPressureEndsTheWait() async {
        let hasher = MD5LaneHasher(kernel: .avx2x8, gatherWindow: Self.endless)
        let data = MD5StreamTests.randomBytes(4 * MD5Stream.highWaterBytes, seed: 4_400)
        let stream = MD5Stream(hasher: hasher)
        // One chunk four times the high-water mark: `update` only returns once the hasher has
        // brought the stream under half of it, which takes the thread out of its wait.
        await stream.update(ByteBuffer(bytes: data))
        #expect(hasher.statistics.singleBlocks > 0)
        #expect(await stream.finalize() == MD5Hasher.digest(data))
    }

    @Test("a zero window hashes a lone stream at once, without gathering")
    func zeroWindowNeverGathers() async {
        let hasher = MD5LaneHasher(kernel: .scalar, gatherWindow: .zero)
        let data = MD5StreamTests.randomBytes(10_000, seed: 4_500)
        #expect(await MD5StreamTests.digest(data, chunkSizes: [4096], hasher: hasher) == MD5Hasher.digest(data))
        #expect(hasher.statistics.gathers == 0)
    }

    @Test("the hashing thread is named md5-lanes (top -H, perf and scripts/bench find it by name)")
    func threadName() async throws {
        let hasher = MD5LaneHasher(kernel: .scalar, gatherWindow: .zero)
        let data = MD5StreamTests.randomBytes(4096, seed: 4_600)
        _ = await MD5StreamTests.digest(data, chunkSizes: [4096], hasher: hasher)
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        let names = tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
        #expect(names.contains("md5-lanes\n"))
    }

    static let avx2Groups = [0..<8, 8..<16]

    /// `busy` lanes as a 16-element mask.
    static func mask(_ busy: [Int]) -> [Bool] { (0..<16).map { busy.contains($0) } }

    /// The mask after applying `moves`.
    static func applying(_ moves: [(from: Int, to: Int)], to busy: [Int]) -> [Bool] {
        var mask = mask(busy)
        for (from, to) in moves {
            #expect(mask[from] && !mask[to], "move \(from) → \(to) must go from a busy lane to a free one")
            mask[from] = false
            mask[to] = true
        }
        return mask
    }

    @Test("7 + 1 busy lanes become 8 + 0 with one move")
    func lonelyLaneJoinsTheFullerGroup() {
        let busy = Array(0..<7) + [12]
        let moves = MD5LaneHasher.laneMoves(busy: Self.mask(busy), groups: Self.avx2Groups)
        #expect(moves.count == 1)
        #expect(Self.applying(moves, to: busy) == Self.mask(Array(0..<8)))
    }

    @Test("4 + 4 busy lanes become one full group")
    func twoHalfGroupsMerge() {
        let busy = [0, 2, 4, 6, 9, 11, 13, 15]
        let after = Self.applying(
            MD5LaneHasher.laneMoves(busy: Self.mask(busy), groups: Self.avx2Groups), to: busy)
        #expect(after[0..<8].allSatisfy { $0 } != after[8..<16].allSatisfy { $0 }, "one group full")
        #expect(after.count { $0 } == 8)
    }

    @Test("a full group plus one lane, one group, and a single lane are left as they are")
    func nothingToPack() {
        for busy in [Array(0..<9), Array(8..<16), [3], [], Array(0..<16)] {
            #expect(MD5LaneHasher.laneMoves(busy: Self.mask(busy), groups: Self.avx2Groups).isEmpty, "\(busy)")
        }
        #expect(MD5LaneHasher.laneMoves(busy: Self.mask([1, 2, 3]), groups: [0..<16]).isEmpty)
    }
}
