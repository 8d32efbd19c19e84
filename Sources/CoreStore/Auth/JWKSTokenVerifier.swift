public import Foundation
internal import JWTKit
public import Logging
import Synchronization

/// Verifies RS256/ES256 (also RS384/512, PS256/384/512, ES384/512) tokens against the keys of a
/// JWKS (Cognito user pools), with Cognito's claim checks from ``AuthConfiguration``.
///
/// - Keys are cached by `kid`, parsed once, each pinned to one algorithm; a token whose `alg`
///   differs from its key's (`none`, `HS256` signed with the public key, `RS256` on an EC key)
///   is rejected before any signature check. A token without `kid` is rejected.
/// - The JWKS is fetched on first use, again when the keys are older than
///   ``AuthConfiguration/jwksRefreshInterval`` (requests keep using the cached keys meanwhile) and
///   when a token names an unknown `kid` (key rotation). All fetches are single-flight and at most
///   one per ``AuthConfiguration/jwksMinimumRefetchInterval``, so unknown `kid`s cannot hammer the
///   endpoint. A failed or unusable fetch keeps the cached keys.
public final class JWKSTokenVerifier: TokenVerifier {
    private struct State {
        var keys: [String: PinnedKey] = [:]
        var fetchedAt: Date?
        var lastAttemptAt: Date?
        var inFlight: Task<Void, Never>?
    }

    private let fetcher: any JWKSFetching
    private let policy: ClaimsPolicy
    private let refreshInterval: TimeInterval
    private let minimumRefetchInterval: TimeInterval
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let state = Mutex(State())

    /// Creates a verifier; nothing is fetched until the first token or ``refreshKeys()``.
    /// - Parameters:
    ///   - configuration: Claim checks and refresh intervals.
    ///   - fetcher: Where the JWKS comes from.
    ///   - logger: Fetch results (info/warning) and one debug line per rejected token.
    ///   - now: The clock for claims and refresh timing; tests inject one.
    public init(
        configuration: AuthConfiguration,
        fetcher: any JWKSFetching,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.fetcher = fetcher
        self.policy = ClaimsPolicy(configuration)
        self.refreshInterval = configuration.jwksRefreshInterval
        self.minimumRefetchInterval = configuration.jwksMinimumRefetchInterval
        self.logger = logger
        self.now = now
    }

    /// Verifies a token against the JWKS keys.
    /// - Parameter bearerToken: The compact token.
    /// - Returns: The user the token speaks for.
    /// - Throws: `CoreStoreError(.invalidCredentials)` for every failure.
    public func verify(bearerToken: String) async throws -> Principal {
        do {
            return try await check(bearerToken)
        } catch {
            logger.debug("bearer token rejected", metadata: ["auth.failure": "\(error.rawValue)"])
            throw CoreStoreError(.invalidCredentials)
        }
    }

    /// Fetches the JWKS now, ignoring the rate limit (e.g. at start-up, so the first request does
    /// not wait). Failures are logged and leave the cached keys in place.
    /// - Returns: How many keys are cached afterwards.
    @discardableResult
    public func refreshKeys() async -> Int {
        let task = state.withLock { state in
            startFetch(&state, at: now())
        }
        await task.value
        return state.withLock { $0.keys.count }
    }

    /// The verification, with the reason for a rejection (for logs and tests).
    func check(_ bearerToken: String) async throws(AuthFailure) -> Principal {
        let token = try SignedToken(parsing: bearerToken)
        guard let kid = token.keyID else { throw .missingKeyID }
        guard let key = await key(for: kid) else { throw .unknownKeyID }
        guard token.algorithm == key.algorithmName else { throw .algorithmNotAllowed }
        guard (try? key.verifier.verify(token.signature, signs: token.signingInput)) == true else {
            throw .badSignature
        }
        return try policy.principal(from: token.claims, now: now())
    }

    /// The cached key for `kid`, refreshing the set first when it does not have it (rate limited).
    private func key(for kid: String) async -> PinnedKey? {
        let moment = now()
        let (cached, fetch) = state.withLock { state -> (PinnedKey?, Task<Void, Never>?) in
            let cached = state.keys[kid]
            let stale = state.fetchedAt.map { moment.timeIntervalSince($0) >= refreshInterval } ?? true
            guard cached == nil || stale else { return (cached, nil) }
            if let inFlight = state.inFlight { return (cached, inFlight) }
            let allowed = state.lastAttemptAt.map { moment.timeIntervalSince($0) >= minimumRefetchInterval } ?? true
            guard allowed else { return (cached, nil) }
            return (cached, startFetch(&state, at: moment))
        }
        // A known key is used at once, even while a periodic refresh runs.
        if let cached { return cached }
        guard let fetch else { return nil }
        await fetch.value
        return state.withLock { $0.keys[kid] }
    }

    /// Starts a fetch unless one is in flight; call with the lock held.
    private func startFetch(_ state: inout State, at moment: Date) -> Task<Void, Never> {
        if let inFlight = state.inFlight { return inFlight }
        state.lastAttemptAt = moment
        let task = Task { await self.fetchKeys() }
        state.inFlight = task
        return task
    }

    private func fetchKeys() async {
        do {
            let document = try await fetcher.fetchJWKS()
            let keys = try await JWKSKeySet.parse(document, logger: logger)
            let fetchedAt = now()
            state.withLock { state in
                state.keys = keys
                state.fetchedAt = fetchedAt
                state.inFlight = nil
            }
            logger.info("JWKS refreshed", metadata: ["auth.jwks.keys": "\(keys.count)"])
        } catch {
            state.withLock { $0.inFlight = nil }
            logger.warning("JWKS fetch failed; keeping cached keys", metadata: ["error": "\(error)"])
        }
    }
}
