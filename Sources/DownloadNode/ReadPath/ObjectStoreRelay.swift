import AsyncAlgorithms
import CoreStore
import NIOCore

/// Relays an object-store read to a response writer with one chunk in flight: the store's
/// consumer hands each chunk over a back-pressured channel and waits until the connection took
/// it, so a slow client slows the store read instead of growing memory. If the client goes away
/// the read is cancelled.
enum ObjectStoreRelay {
    /// Streams `range` of `key` (all of it when `nil`) into `write`.
    /// - Throws: The store's error or the writer's.
    static func stream(
        _ store: any ObjectStore, key: ObjectKey, range: ClosedRange<Int64>?,
        write: (ByteBuffer) async throws -> Void
    ) async throws {
        let channel = AsyncThrowingChannel<ByteBuffer, any Error>()
        async let fetch: Void = {
            do {
                try await store.streamObject(key: key, range: range) { chunk in
                    try Task.checkCancellation()
                    await channel.send(chunk)
                }
                channel.finish()
            } catch {
                channel.fail(error)
            }
        }()
        for try await chunk in channel {
            try await write(chunk)
        }
        await fetch
    }
}
