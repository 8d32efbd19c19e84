import Synchronization

/// A thread-safe pool of idle curl easy handles; reusing a handle reuses its keep-alive connections.
final class CurlHandlePool: Sendable {
    private let idle = Mutex<[CurlEasyHandle]>([])
    private let maximumIdle: Int

    /// Creates an empty pool.
    /// - Parameter maximumIdle: Idle handles kept beyond this count are freed.
    init(maximumIdle: Int = 64) {
        self.maximumIdle = maximumIdle
    }

    /// Lends a reset handle to `body` (blocking code) and takes it back afterwards.
    /// - Throws: What `body` throws, or `.internalError` when no handle can be created.
    func withHandle<T>(_ body: (CurlEasyHandle) throws -> T) throws -> T {
        let handle = try idle.withLock { $0.popLast() } ?? CurlEasyHandle()
        defer {
            handle.reset()
            idle.withLock { handles in
                if handles.count < maximumIdle { handles.append(handle) }
            }
        }
        return try body(handle)
    }

    /// Number of idle handles (for tests).
    var idleCount: Int { idle.withLock { $0.count } }
}
