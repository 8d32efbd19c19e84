import Synchronization

/// Bounds how many cache fills run at once; the others wait their turn in arrival order.
///
/// Every running fill holds a read buffer, a hashing chunk and (against S3) a connection, and
/// 1000 simultaneous misses of different objects started 1000 fills within a second: the node
/// peaked at ~600 MiB while the fills only shared the same disk and cores
/// (docs/decisions/0011). A queued fill is already registered, so readers of its object join
/// it and wait for its first bytes like readers of a running fill.
final class FillSlots: Sendable {
    private struct State {
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Fills allowed to run at once.
    let limit: Int
    private let state = Mutex(State())

    /// - Parameter limit: Fills allowed to run at once (at least 1).
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Fills waiting for a slot (sampled into `uds_cache_fills_queued`).
    var queued: Int { state.withLock { $0.waiters.count } }

    /// Fills holding a slot.
    var running: Int { state.withLock { $0.running } }

    /// Returns once the caller holds a slot; pair with ``release()``. Not cancellable: fills
    /// run in their own tasks and always finish.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                guard state.running < limit else {
                    state.waiters.append(continuation)
                    return false
                }
                state.running += 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    /// Gives the slot to the longest-waiting fill, or frees it.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
