import Logging
import Metrics
import NIOCore
import PostgresNIO
import Synchronization

/// Runs one store call on a pooled connection under a deadline, counted in
/// `uds_metadata_calls_total{operation}` (one connection lease: a point query, or one transaction).
///
/// postgres-nio waits for a connection as long as its pool keeps retrying (up to a minute before
/// its circuit breaker trips), so every call races a timer: when the timer wins, a pending lease
/// is cancelled, or the leased connection is closed (failing a query stuck on a dead peer), and
/// the call fails with `.metadataUnavailable`.
enum PostgresCall {
    /// The connection leased by a call, so the timer can close it.
    private final class Lease: Sendable {
        let connection = Mutex<PostgresConnection?>(nil)
    }

    private enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case timedOut
    }

    /// Runs `body` with a connection of `client`, failing after `timeout`.
    /// - Throws: ``CoreStoreError`` (mapped by ``PostgresFailure``).
    static func run<Value: Sendable>(
        _ client: PostgresClient, timeout: Duration, operation: String, shard: String, logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws(CoreStoreError) -> Value {
        Counter(label: "uds_metadata_calls_total", dimensions: [("operation", operation)]).increment()
        let lease = Lease()
        do {
            return try await withThrowingTaskGroup(of: Outcome<Value>.self) { group in
                group.addTask {
                    let value = try await client.withConnection { connection in
                        lease.connection.withLock { $0 = connection }
                        defer { lease.connection.withLock { $0 = nil } }
                        return try await body(connection)
                    }
                    return .finished(value)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return .timedOut
                }
                defer { group.cancelAll() }
                guard case .finished(let value) = try await group.next() else {
                    if let connection = lease.connection.withLock({ $0 }) {
                        let _: EventLoopFuture<Void> = connection.close()
                    }
                    throw PostgresFailure.TimedOut()
                }
                return value
            }
        } catch {
            throw PostgresFailure.map(error, operation: operation, shard: shard, logger: logger)
        }
    }
}
