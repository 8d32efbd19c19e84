import Foundation

/// A one-slot hand-over from a blocking curl thread to an async consumer.
///
/// The curl thread ``send(_:)``s a chunk and blocks while the previous one has not been taken,
/// so at most one chunk waits here however slow the consumer is (bounded memory). The consumer
/// awaits ``next()`` without blocking a cooperative thread. ``cancel()`` (consumer failed or went
/// away) releases the sender, which then aborts the transfer.
final class CurlStreamBridge: @unchecked Sendable {  // every field is read and written under `condition`'s lock
    /// Target size of the chunks the sink hands over.
    static let chunkSize = 256 * 1024

    private let condition = NSCondition()
    private var slot: [UInt8]?
    private var waiter: CheckedContinuation<[UInt8]?, Never>?
    private var finished = false
    private var cancelled = false

    /// Creates an empty bridge.
    init() {}

    /// Hands `chunk` over, blocking while the previous chunk is still waiting (curl thread only).
    /// - Returns: `false` when the consumer cancelled; the transfer should abort.
    func send(_ chunk: [UInt8]) -> Bool {
        condition.lock()
        while slot != nil && !cancelled { condition.wait() }
        if cancelled {
            condition.unlock()
            return false
        }
        if let waiter {
            self.waiter = nil
            condition.unlock()
            waiter.resume(returning: chunk)
        } else {
            slot = chunk
            condition.unlock()
        }
        return true
    }

    /// Marks the end of the stream (always called by the transfer, success or not).
    func finish() {
        condition.lock()
        finished = true
        let waiter = slot == nil ? self.waiter : nil
        if waiter != nil { self.waiter = nil }
        condition.unlock()
        waiter?.resume(returning: nil)
    }

    /// Stops the stream from the consumer side; a blocked or later ``send(_:)`` returns `false`.
    func cancel() {
        condition.lock()
        cancelled = true
        let waiter = self.waiter
        self.waiter = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
    }

    /// Whether ``cancel()`` was called.
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// The next chunk, or `nil` at the end of the stream (or after ``cancel()``).
    func next() async -> [UInt8]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
            condition.lock()
            if let chunk = slot {
                slot = nil
                condition.signal()
                condition.unlock()
                continuation.resume(returning: chunk)
            } else if finished || cancelled {
                condition.unlock()
                continuation.resume(returning: nil)
            } else {
                waiter = continuation
                condition.unlock()
            }
        }
    }
}
