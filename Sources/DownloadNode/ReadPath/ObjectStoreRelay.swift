import AsyncAlgorithms
import CoreStore
import NIOCore
import Synchronization

/// An object-store read whose first bytes have already arrived, relayed to a response writer.
///
/// ``open(_:key:range:)`` starts the read and returns only once the store has answered with the
/// first chunk, so `OBJECT_NOT_FOUND` (a replace or delete removed the version after its metadata
/// was read) or an unavailable store is thrown before any status line is sent. The rest goes
/// over a back-pressured channel with one chunk in flight: a slow client slows the store read
/// instead of growing memory. If the client goes away, or the relay is dropped unread, the read
/// is cancelled.
final class ObjectStoreRelay: Sendable {
    private let first: ByteBuffer
    private let rest: AsyncThrowingChannel<ByteBuffer, any Error>
    private let fetch: Task<Void, Never>

    private init(first: ByteBuffer, rest: AsyncThrowingChannel<ByteBuffer, any Error>, fetch: Task<Void, Never>) {
        self.first = first
        self.rest = rest
        self.fetch = fetch
    }

    deinit { fetch.cancel() }

    /// Starts reading `range` of `key` (all of it when `nil`) and waits for the store's first chunk.
    /// - Throws: `.objectNotFound`, `.rangeNotSatisfiable`, `.objectStoreUnavailable` — before any
    ///   byte is relayed.
    static func open(_ store: any ObjectStore, key: ObjectKey, range: ClosedRange<Int64>?) async throws
        -> ObjectStoreRelay
    {
        let rest = AsyncThrowingChannel<ByteBuffer, any Error>()
        let opening = FirstChunk()
        let fetch = Task {
            do {
                try await store.streamObject(key: key, range: range) { chunk in
                    try Task.checkCancellation()
                    if opening.deliver(.success(chunk)) { return }
                    await rest.send(chunk)
                }
                _ = opening.deliver(.success(ByteBuffer()))  // an empty object: no chunk came
                rest.finish()
            } catch {
                _ = opening.deliver(.failure(error))
                rest.fail(error)
            }
        }
        let first = try await withTaskCancellationHandler {
            try await opening.value()
        } onCancel: {
            fetch.cancel()
        }
        return ObjectStoreRelay(first: first, rest: rest, fetch: fetch)
    }

    /// Writes the first chunk, then the rest as it arrives.
    /// - Throws: The store's error (the response is then cut short) or the writer's.
    func stream(write: (ByteBuffer) async throws -> Void) async throws {
        do {
            if first.readableBytes > 0 { try await write(first) }
            for try await chunk in rest {
                try await write(chunk)
            }
        } catch {
            fetch.cancel()
            throw error
        }
    }
}

/// The outcome of a read's first chunk, handed from the fetch task to the opener once.
private final class FirstChunk: Sendable {
    private enum State {
        case waiting(CheckedContinuation<ByteBuffer, any Error>?)
        case arrived(Result<ByteBuffer, any Error>)
        case taken
    }

    private let state = Mutex(State.waiting(nil))

    /// Records the first outcome; `false` when one was already recorded (later chunks go to the channel).
    func deliver(_ result: Result<ByteBuffer, any Error>) -> Bool {
        let (first, waiter) = state.withLock { state -> (Bool, CheckedContinuation<ByteBuffer, any Error>?) in
            guard case .waiting(let waiter) = state else { return (false, nil) }
            state = waiter == nil ? .arrived(result) : .taken
            return (true, waiter)
        }
        waiter?.resume(with: result)
        return first
    }

    /// Waits for the first outcome.
    func value() async throws -> ByteBuffer {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<ByteBuffer, any Error>? in
                if case .arrived(let result) = state {
                    state = .taken
                    return result
                }
                state = .waiting(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
