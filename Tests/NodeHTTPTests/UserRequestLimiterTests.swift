import CoreStore
import NodeHTTP
import Testing

@Suite("per-user request rate")
struct UserRequestLimiterTests {
    @Test("a burst passes, the next request is refused, tokens come back at the rate; users are separate (by bytes)")
    func tokenBucket() throws {
        let limiter = UserRequestLimiter(requestsPerSecond: 2, burst: 3)
        let start = ContinuousClock.now
        let kate = try UserID(validating: "Kate")
        for _ in 0..<3 { try limiter.admit(kate, now: start) }
        #expect(throws: CoreStoreError(.rateLimited)) { try limiter.admit(kate, now: start) }
        try limiter.admit(try UserID(validating: "bob"), now: start)
        #expect(throws: CoreStoreError(.rateLimited)) { try limiter.admit(kate, now: start + .milliseconds(400)) }
        try limiter.admit(kate, now: start + .milliseconds(900))
        for _ in 0..<3 { try limiter.admit(kate, now: start + .seconds(60)) }
        #expect(throws: CoreStoreError(.rateLimited)) { try limiter.admit(kate, now: start + .seconds(60)) }
    }

    @Test("buckets that refilled completely are forgotten once many users were seen")
    func prunesIdleUsers() throws {
        let limiter = UserRequestLimiter(requestsPerSecond: 1, burst: 1)
        let start = ContinuousClock.now
        for index in 0...10_000 { try limiter.admit(try UserID(validating: "user-\(index)"), now: start) }
        try limiter.admit(try UserID(validating: "late"), now: start + .seconds(5))
        #expect(limiter.trackedUsers < 10)
    }
}
