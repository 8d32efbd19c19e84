import Logging
import Synchronization
import TestSupport
import Testing

@testable import CoreStore

@Suite("RetryPolicy and S3RequestLimiter")
struct RetryPolicyTests {
    let logger = Logger(label: "test")

    @Test func retriesUnavailableUpToMaxAttempts() async throws {
        let policy = RetryPolicy(maxAttempts: 3, baseBackoff: 0.001)
        let attempts = Mutex(0)
        await #expect(throws: CoreStoreError(.objectStoreUnavailable)) {
            try await policy.run(operation: "test", logger: logger) { _ -> Int in
                attempts.withLock { $0 += 1 }
                throw CoreStoreError(.objectStoreUnavailable)
            }
        }
        #expect(attempts.withLock { $0 } == 3)
    }

    @Test func doesNotRetryOtherErrors() async throws {
        let policy = RetryPolicy(maxAttempts: 5, baseBackoff: 0.001)
        let attempts = Mutex(0)
        await #expect(throws: CoreStoreError(.objectStoreRejected)) {
            try await policy.run(operation: "test", logger: logger) { _ -> Int in
                attempts.withLock { $0 += 1 }
                throw CoreStoreError(.objectStoreRejected)
            }
        }
        #expect(attempts.withLock { $0 } == 1)
    }

    @Test func succeedsAfterATransientFailure() async throws {
        let policy = RetryPolicy(maxAttempts: 4, baseBackoff: 0.001)
        let value = try await policy.run(operation: "test", logger: logger) { attempt -> Int in
            if attempt < 3 { throw CoreStoreError(.objectStoreUnavailable) }
            return attempt
        }
        #expect(value == 3)
    }

    @Test func backoffGrowsExponentiallyUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 10, baseBackoff: 0.1, maxBackoff: 1)
        #expect(policy.backoffCeiling(afterAttempt: 1) == 0.1)
        #expect(policy.backoffCeiling(afterAttempt: 2) == 0.2)
        #expect(policy.backoffCeiling(afterAttempt: 4) == 0.8)
        #expect(policy.backoffCeiling(afterAttempt: 5) == 1)
        #expect(policy.backoffCeiling(afterAttempt: 60) == 1)
    }

    @Test func limiterNeverAdmitsMoreThanItsLimit() async {
        let limiter = S3RequestLimiter(limit: 3)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    await limiter.acquire()
                    gauge.enter()
                    // Hold the permit until three holders were in at once (then the peak proves the
                    // limit was reached); a limiter admitting fewer makes this time out and fail.
                    _ = await eventually(timeout: .seconds(10), interval: .milliseconds(1)) { gauge.peak >= 3 }
                    gauge.leave()
                    limiter.release()
                }
            }
        }
        #expect(gauge.peak == 3)
        #expect(limiter.availablePermits == 3)
    }
}

/// Counts concurrent holders and remembers the peak.
private final class Gauge: Sendable {
    private let state = Mutex((current: 0, peak: 0))

    func enter() {
        state.withLock {
            $0.current += 1
            $0.peak = max($0.peak, $0.current)
        }
    }

    func leave() { state.withLock { $0.current -= 1 } }

    var peak: Int { state.withLock { $0.peak } }
}
