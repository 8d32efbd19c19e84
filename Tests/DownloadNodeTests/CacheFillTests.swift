import CoreStore
import Foundation
import NIOCore
import NodeHTTP
import Synchronization
import TestSupport
import Testing

@testable import DownloadNode

/// An object store that delivers the first 256 KiB of an object, then holds the rest until released.
final class GatedObjectStore: ForwardingObjectStore {
    let base: any ObjectStore
    private let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let opened = Mutex(false)

    init(_ base: any ObjectStore) { self.base = base }

    func release() {
        let continuation = gate.withLock { gate -> CheckedContinuation<Void, Never>? in
            opened.withLock { $0 = true }
            defer { gate = nil }
            return gate
        }
        continuation?.resume()
    }

    func streamObject(
        key: ObjectKey, range: ClosedRange<Int64>?, to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        let delivered = Mutex(0)
        try await base.streamObject(key: key, range: range) { chunk in
            if delivered.withLock({ $0 }) > 0, !self.opened.withLock({ $0 }) {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.gate.withLock { gate -> Bool in
                        if self.opened.withLock({ $0 }) { return true }
                        gate = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            delivered.withLock { $0 += 1 }
            try await consumer(chunk)
        }
    }

}

@Suite("cache fill from the object store")
struct CacheFillTests {
    /// A disk cache, filler and reader over the node's object store behind a ``GatedObjectStore``.
    static func gatedReadPath(_ parts: NodeMain.Parts, maxConcurrentFills: Int) throws
        -> (GatedObjectStore, DiskLRUCache, CacheFiller, TieredReader)
    {
        let gated = GatedObjectStore(parts.backends.objectStore)
        let cache = DiskLRUCache(
            directory: parts.configuration.dataDirectory + "/cache", capacityBytes: 1 << 30, maxObjectBytes: 1 << 30,
            admitAfterAccessesAbove: 1 << 30, logger: TestNode.logger)
        try cache.open()
        let filler = CacheFiller(
            cache: cache, objectStore: gated, blobCache: nil, redisMaxBytes: 0, partBytes: 8 << 20, parallelism: 4,
            maxConcurrentFills: maxConcurrentFills, logger: TestNode.logger)
        let reader = TieredReader(
            cache: cache, blobCache: nil, redisMaxBytes: 0, filler: filler, objectStore: gated)
        return (gated, cache, filler, reader)
    }

    /// Runs `body` while `filler` runs its fills (as the node's service group runs it), then cancels it.
    static func whileRunning(_ filler: CacheFiller, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await filler.run() }
            defer { group.cancelAll() }
            try await body()
        }
    }

    @Test("a cold read streams the first bytes before the object has fully arrived, then commits it to the cache")
    func firstByteBeforeWholeObject() async throws {
        let parts = try await TestNode.parts(role: .download)
        let bytes = MultipartBody.randomBytes(4 * 1024 * 1024, seed: 17)
        let record = try await FileSeeder.seed(bytes, user: "alice", name: "big.bin", parts: parts)
        let (gated, cache, filler, reader) = try Self.gatedReadPath(parts, maxConcurrentFills: 64)
        try await Self.whileRunning(filler) {
            let source = try await reader.locate(record, range: nil)
            guard case .filling(let fill, let file) = source else {
                Issue.record("expected a fill in progress, got \(source)")
                return
            }
            guard case .running(let arrived) = fill.progress else {
                Issue.record("the fill finished while the store was still holding the rest")
                return
            }
            #expect(arrived > 0 && arrived < Int64(bytes.count))

            let received = Mutex<[UInt8]>([])
            let firstChunk = Mutex(false)
            async let streamed: Void = CacheFileReader.stream(fill, file: file, range: 0..<Int64(bytes.count)) {
                chunk in
                received.withLock { $0 += Array(chunk.readableBytesView) }
                firstChunk.withLock { $0 = true }
            }
            try #require(
                await eventually(interval: .milliseconds(5)) { firstChunk.withLock { $0 } }, "the first chunk arrived")
            #expect(
                received.withLock { $0.count } < bytes.count, "bytes reached the client while the store held the rest")
            gated.release()
            try await streamed
            #expect(received.withLock { $0 } == bytes)

            #expect(
                await eventually(interval: .milliseconds(10)) { cache.lookup(record.fileID) != nil },
                "the verified file was committed to the disk cache")
        }
    }

    @Test("misses beyond maxConcurrentFills queue for a slot and are served once a running fill ends")
    func fillsBeyondTheLimitQueue() async throws {
        let parts = try await TestNode.parts(role: .download)
        let first = MultipartBody.randomBytes(2 * 1024 * 1024, seed: 31)
        let second = MultipartBody.randomBytes(2 * 1024 * 1024, seed: 32)
        let recordA = try await FileSeeder.seed(first, user: "alice", name: "a.bin", parts: parts)
        let recordB = try await FileSeeder.seed(second, user: "alice", name: "b.bin", parts: parts)
        let (gated, cache, filler, reader) = try Self.gatedReadPath(parts, maxConcurrentFills: 1)
        try await Self.whileRunning(filler) {
            let sourceA = try await reader.locate(recordA, range: nil)
            guard case .filling = sourceA else {
                Issue.record("expected A's fill to be running, got \(sourceA)")
                return
            }
            async let sourceB = reader.locate(recordB, range: nil)
            let queued = await eventually(interval: .milliseconds(5)) { filler.slots.queued == 1 }
            #expect(queued, "B's fill waits while A's holds the only slot")
            #expect(filler.slots.running == 1)
            #expect(cache.lookup(recordB.fileID) == nil)

            gated.release()
            let located = try await sourceB
            let received = Mutex<[UInt8]>([])
            switch located {
            case .filling(let fill, let file):
                try await CacheFileReader.stream(fill, file: file, range: 0..<Int64(second.count)) { chunk in
                    received.withLock { $0 += Array(chunk.readableBytesView) }
                }
            case .cachedFile(let file, _):
                received.withLock { $0 = Array(FileManager.default.contents(atPath: file.path) ?? Data()) }
            default:
                Issue.record("expected B from a fill or the cache, got \(located)")
            }
            #expect(received.withLock { $0 } == second)
            let drained = await eventually(interval: .milliseconds(5)) {
                filler.slots.running == 0 && filler.slots.queued == 0
                    && cache.lookup(recordA.fileID) != nil && cache.lookup(recordB.fileID) != nil
            }
            #expect(drained, "both fills committed and gave their slots back")
        }
    }
}

/// The order in which waiting fills got their slot.
private final class GrantOrder: Sendable {
    let ids = Mutex<[Int]>([])
}

@Suite("fill slots")
struct FillSlotsTests {
    @Test("a released slot goes to the longest-waiting fill; the count drains to zero")
    func firstInFirstOut() async throws {
        let slots = FillSlots(limit: 1)
        await slots.acquire()
        let order = GrantOrder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 0..<3 {
                group.addTask {
                    await slots.acquire()
                    order.ids.withLock { $0.append(id) }
                    slots.release()
                }
                try #require(
                    await eventually(interval: .milliseconds(1)) { slots.queued >= id + 1 }, "grant \(id) queued")
            }
            #expect(slots.running == 1 && slots.queued == 3)
            slots.release()
            try await group.waitForAll()
        }
        #expect(order.ids.withLock { $0 } == [0, 1, 2])
        #expect(slots.running == 0 && slots.queued == 0)
    }
}
