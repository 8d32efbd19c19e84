import Foundation
import Synchronization
import Testing

@testable import CoreStore

/// The verified-token cache: reuse only what verified, never past `exp` or the maximum age,
/// never a failure, bounded in size.
@Suite("CachingTokenVerifier")
struct CachingTokenVerifierTests {
    /// A verifier that accepts tokens named in `valid` (each expiring at the given time) and
    /// counts its calls.
    final class CountingVerifier: TokenVerifier {
        let calls = Mutex(0)
        let valid: Mutex<[String: Date]>

        init(_ valid: [String: Date]) { self.valid = Mutex(valid) }

        func verify(bearerToken: String) async throws -> Principal {
            calls.withLock { $0 += 1 }
            guard let expiry = valid.withLock({ $0[bearerToken] }) else { throw CoreStoreError(.invalidCredentials) }
            return Principal(userID: try UserID(validating: "user-" + bearerToken), expiresAt: expiry)
        }

        var callCount: Int { calls.withLock { $0 } }
    }

    @Test("a token that verified is answered from the table until its exp; then verified again")
    func reuseUntilExpiry() async throws {
        let clock = ManualClock()
        let base = CountingVerifier(["a": clock.now + 30])
        let cache = CachingTokenVerifier(base, maximumAge: 60, now: clock.function)
        let first = try await cache.verify(bearerToken: "a")
        #expect(try await cache.verify(bearerToken: "a") == first)
        #expect(base.callCount == 1)
        clock.advance(by: 29)
        #expect(try await cache.verify(bearerToken: "a") == first)
        #expect(base.callCount == 1)
        clock.advance(by: 1)  // at exp: the wrapped verifier decides again
        _ = try await cache.verify(bearerToken: "a")
        #expect(base.callCount == 2)
    }

    @Test("a verification is reused for at most maximumAge seconds (a key removed from the JWKS stops counting)")
    func maximumAge() async throws {
        let clock = ManualClock()
        let base = CountingVerifier(["a": clock.now + 3600])
        let cache = CachingTokenVerifier(base, maximumAge: 60, now: clock.function)
        _ = try await cache.verify(bearerToken: "a")
        clock.advance(by: 59)
        _ = try await cache.verify(bearerToken: "a")
        #expect(base.callCount == 1)
        clock.advance(by: 1)
        base.valid.withLock { $0["a"] = nil }  // the key is gone: the token no longer verifies
        await #expect(throws: CoreStoreError.self) { try await cache.verify(bearerToken: "a") }
        #expect(base.callCount == 2)
    }

    @Test("failures are never remembered; a different string (one byte) is a different token")
    func failuresAndExactStrings() async throws {
        let clock = ManualClock()
        let base = CountingVerifier(["a": clock.now + 3600])
        let cache = CachingTokenVerifier(base, now: clock.function)
        for _ in 0..<3 {
            await #expect(throws: CoreStoreError.self) { try await cache.verify(bearerToken: "b") }
        }
        #expect(base.callCount == 3)
        _ = try await cache.verify(bearerToken: "a")
        await #expect(throws: CoreStoreError.self) { try await cache.verify(bearerToken: "a ") }
        #expect(base.callCount == 5)
    }

    @Test("the table never holds more than its capacity")
    func bounded() async throws {
        let clock = ManualClock()
        let names = (0..<25).map { "t\($0)" }
        let base = CountingVerifier(Dictionary(uniqueKeysWithValues: names.map { ($0, clock.now + 3600) }))
        let cache = CachingTokenVerifier(base, capacity: 10, now: clock.function)
        for name in names {
            _ = try await cache.verify(bearerToken: name)
            #expect(cache.count <= 10)
        }
        #expect(cache.count == 5, "emptied at 10 twice, then 5 new")
    }
}
