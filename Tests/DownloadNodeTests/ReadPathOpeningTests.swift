import CoreStore
import Foundation
import NIOCore
import NodeHTTP
import Synchronization
import TestSupport
import Testing

@testable import DownloadNode

/// An object store that reports when a `streamObject` call has ended (returned or thrown).
final class EndReportingObjectStore: ForwardingObjectStore {
    let base: any ObjectStore
    let ends: AsyncStream<(any Error)?>
    private let continuation: AsyncStream<(any Error)?>.Continuation

    init(_ base: any ObjectStore) {
        self.base = base
        (ends, continuation) = AsyncStream.makeStream()
    }

    func streamObject(
        key: ObjectKey, range: ClosedRange<Int64>?, to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        do {
            try await base.streamObject(key: key, range: range, to: consumer)
            continuation.yield(nil)
        } catch {
            continuation.yield(error)
            throw error
        }
    }

}

/// The read path opens a version's bytes before the status line: what it opened stays readable,
/// and what cannot be opened fails before any byte.
@Suite("read path: bytes opened before the status line")
struct ReadPathOpeningTests {
    @Test("a cache file opened before it is evicted is still read whole, also on the buffered (TLS) path")
    func openedFileOutlivesEviction() async throws {
        let bytes = MultipartBody.randomBytes(700_000, seed: 41)
        let path = IntegrationEnvironment.temporaryDirectory("open") + "/cached"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let opened = try #require(CacheFileOpener.open(path: path))
        try FileManager.default.removeItem(atPath: path)  // evicted
        #expect(CacheFileOpener.open(path: path) == nil, "a file already gone is not opened (a miss)")
        let received = Mutex<[UInt8]>([])
        try await CacheFileReader.stream(opened, range: 100..<600_100) { chunk in
            received.withLock { $0 += Array(chunk.readableBytesView) }
        }
        let isRange = received.withLock { $0 } == Array(bytes[100..<600_100])
        #expect(isRange)
    }

    @Test("a store read of a missing object throws OBJECT_NOT_FOUND at open; an existing one relays exactly its range")
    func relayOpensBeforeRelaying() async throws {
        let parts = try await TestNode.parts(role: .download)
        let bytes = MultipartBody.randomBytes(1_000_000, seed: 43)
        let record = try await FileSeeder.seed(bytes, user: "alice", name: "r.bin", parts: parts)
        let store = parts.backends.objectStore
        let relay = try await ObjectStoreRelay.open(store, key: record.objectKey, range: 300_000...899_999)
        let received = Mutex<[UInt8]>([])
        try await relay.stream { chunk in received.withLock { $0 += Array(chunk.readableBytesView) } }
        let isRange = received.withLock { $0 } == Array(bytes[300_000...899_999])
        #expect(isRange)

        try await store.deleteObject(key: record.objectKey)
        await #expect(throws: CoreStoreError(.objectNotFound)) {
            _ = try await ObjectStoreRelay.open(store, key: record.objectKey, range: 0...9)
        }
    }

    @Test("a relay dropped unread (the response never written) cancels its store read", .timeLimit(.minutes(1)))
    func droppedRelayCancelsTheRead() async throws {
        let parts = try await TestNode.parts(role: .download)
        let bytes = MultipartBody.randomBytes(2_000_000, seed: 47)  // 8 chunks of the local store
        let record = try await FileSeeder.seed(bytes, user: "alice", name: "d.bin", parts: parts)
        let store = EndReportingObjectStore(parts.backends.objectStore)
        do {
            _ = try await ObjectStoreRelay.open(store, key: record.objectKey, range: nil)
        }
        var ends = store.ends.makeAsyncIterator()
        let end = await ends.next()
        let failed = end.map { $0 != nil } ?? false
        #expect(failed, "the read was cancelled, not carried on to the end of the object: \(String(describing: end))")
    }
}
