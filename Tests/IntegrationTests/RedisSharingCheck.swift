import CoreStore
import NIOCore
import Testing

/// That concurrent commands share a Redis client's connections without mixing replies, checked
/// the same way over plain TCP and over TLS.
enum RedisSharingCheck {
    /// Stores 16 blobs of distinct bytes and sizes, then reads them 64 times at once, each read
    /// expecting its own blob.
    /// - Parameter cache: A cache over the client under test.
    static func expectConcurrentReadsUnmixed(
        _ cache: RedisBlobCache, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let ids = (0..<16).map { _ in FileID.generate() }
        for (index, id) in ids.enumerated() {
            try await cache.store(ByteBuffer(repeating: UInt8(index), count: 1_000 + index), for: id)
        }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for round in 0..<64 {
                group.addTask {
                    let index = round % ids.count
                    return try await cache.blob(for: ids[index])
                        == ByteBuffer(repeating: UInt8(index), count: 1_000 + index)
                }
            }
            for try await matched in group { #expect(matched, sourceLocation: sourceLocation) }
        }
    }
}
