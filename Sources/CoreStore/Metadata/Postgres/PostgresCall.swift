import Logging
import Metrics
import NIOCore
import PostgresNIO
import Synchronization

/// Runs one store call on a pooled connection under a deadline, counted in
/// `uds_metadata_calls_total{operation}` (one connection lease: a point query, or one transaction).
///
/// postgres-nio waits for a connection as long as its pool keeps retrying (up to a minute before
/// its circuit breaker trips), so every call races a timer: when the timer wins, the leased
/// connection is closed (failing a query stuck on a dead peer), the call is cancelled, and the
/// caller gets `.metadataUnavailable` at once. The caller never waits for the call itself to end:
/// a transaction whose peer stopped answering (a black hole) did not end on close or cancellation,
/// and uploads waiting for it hung past any client timeout (found by `FaultInjectionTests`).
enum PostgresCall {
    /// The connection leased by a call, so the timer can close it.
    private final class Lease: Sendable {
        let connection = Mutex<PostgresConnection?>(nil)
    }

    /// Runs `body` with a connection of `client`, failing after `timeout`.
    /// - Throws: ``CoreStoreError`` (mapped by ``PostgresFailure``).
    static func run<Value: Sendable>(
        _ client: PostgresClient, timeout: Duration, operation: String, shard: String, logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws(CoreStoreError) -> Value {
        Counter(label: "uds_metadata_calls_total", dimensions: [("operation", operation)]).increment()
        let lease = Lease()
        let work = Task {
            try await client.withConnection { connection in
                lease.connection.withLock { $0 = connection }
                defer { lease.connection.withLock { $0 = nil } }
                return try await body(connection)
            }
        }
        do {
            return try await Deadline.race(work, timeout: timeout) {
                if let connection = lease.connection.withLock({ $0 }) {
                    let _: EventLoopFuture<Void> = connection.close()
                }
            }
        } catch {
            throw PostgresFailure.map(error, operation: operation, shard: shard, logger: logger)
        }
    }
}

/// The first of a task's result and a timer, without waiting for the loser.
enum Deadline {
    /// Resumes a continuation once; later outcomes are dropped.
    private final class Once<Value: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<Value, any Error>?>

        init(_ continuation: CheckedContinuation<Value, any Error>) {
            self.continuation = Mutex(continuation)
        }

        /// - Returns: Whether this call resumed the continuation.
        @discardableResult
        func resume(with result: Result<Value, any Error>) -> Bool {
            guard
                let continuation = continuation.withLock({ state in
                    defer { state = nil }
                    return state
                })
            else {
                return false
            }
            continuation.resume(with: result)
            return true
        }
    }

    /// The timer task, cancelled once the work has won.
    private final class Timer: Sendable {
        private let task = Mutex<Task<Void, Never>?>(nil)
        func start(_ timer: Task<Void, Never>) { task.withLock { $0 = timer } }
        func cancel() { task.withLock { $0?.cancel() } }
    }

    /// The value of `work`, or ``PostgresFailure/TimedOut`` after `timeout` (then `onTimeout`
    /// runs and `work` is cancelled, and left to end on its own). Cancelling the caller cancels `work`.
    static func race<Value: Sendable>(
        _ work: Task<Value, any Error>, timeout: Duration, onTimeout: @escaping @Sendable () -> Void
    ) async throws -> Value {
        let timer = Timer()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let once = Once(continuation)
                timer.start(
                    Task {
                        guard (try? await Task.sleep(for: timeout)) != nil else { return }
                        if once.resume(with: .failure(PostgresFailure.TimedOut())) {
                            onTimeout()
                            work.cancel()
                        }
                    })
                Task {
                    let result = await work.result
                    if once.resume(with: result) { timer.cancel() }
                }
            }
        } onCancel: {
            work.cancel()
        }
    }
}
