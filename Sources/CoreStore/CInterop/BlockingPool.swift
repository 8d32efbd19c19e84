import NIOPosix

/// The dedicated thread pool for blocking C calls (libcurl easy transfers, hiredis, SQLite).
///
/// Blocking calls never run on an event loop or the cooperative pool; they hop here and the
/// awaiting task is resumed when the call returns. Size it for the number of concurrent
/// blocking calls the node allows (e.g. the S3 request semaphore plus a few).
public final class BlockingPool: Sendable {
    private let pool: NIOThreadPool

    /// Starts a pool.
    /// - Parameter threads: Number of threads.
    public init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    /// Runs `body` on a pool thread and returns its result.
    /// - Parameter body: The blocking work.
    /// - Throws: What `body` throws, or a cancellation error once the pool is shut down.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    /// Stops the pool after the queued work has run.
    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
