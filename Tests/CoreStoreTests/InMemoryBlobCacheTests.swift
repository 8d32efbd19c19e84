import CoreStore
import NIOCore
import TestSupport
import Testing

/// The cache contract in unit tests: the in-memory twin passes it, and the contract rejects a
/// cache that loses a byte (so it can fail).
@Suite("BlobCache contract on the in-memory twin")
struct InMemoryBlobCacheTests {
    @Test("the in-memory twin passes the contract the Redis cache passes")
    func twinPassesContract() async throws {
        try await BlobCacheContract.run(InMemoryBlobCache())
    }

    @Test("a cache that drops the last byte of every blob fails the contract")
    func contractRejectsTruncation() async throws {
        await #expect(throws: ContractViolation.self) {
            try await BlobCacheContract.run(TruncatingBlobCache())
        }
    }
}

/// Keeps every blob but its last byte: what the contract exists to catch.
private struct TruncatingBlobCache: BlobCache {
    let inner = InMemoryBlobCache()

    func blob(for fileID: FileID) async throws -> ByteBuffer? {
        try await inner.blob(for: fileID).map { $0.getSlice(at: $0.readerIndex, length: max(0, $0.readableBytes - 1))! }
    }

    func store(_ blob: ByteBuffer, for fileID: FileID) async throws { try await inner.store(blob, for: fileID) }

    func store(fileAt path: String, size: Int64, for fileID: FileID) async throws {
        try await inner.store(fileAt: path, size: size, for: fileID)
    }

    func remove(fileID: FileID) async throws { try await inner.remove(fileID: fileID) }

    func checkReachable() async throws {}
}
