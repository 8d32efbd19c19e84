import Crypto
import CryptoExtras
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import CoreStore

/// A JWKS endpoint stand-in: serves whatever document the test sets, counts fetches, can fail.
final class ScriptedJWKSFetcher: JWKSFetching {
    private struct State {
        var document: [UInt8]
        var fetches = 0
        var failing = false
    }

    private let state: Mutex<State>

    init(_ document: Data) {
        state = Mutex(State(document: Array(document)))
    }

    var fetches: Int { state.withLock { $0.fetches } }

    func serve(_ document: Data) { state.withLock { $0.document = Array(document) } }

    func fail(_ failing: Bool) { state.withLock { $0.failing = failing } }

    func fetchJWKS() async throws -> [UInt8] {
        let (document, failing) = state.withLock { state in
            state.fetches += 1
            return (state.document, state.failing)
        }
        if failing { throw CoreStoreError(.internalError, "JWKS endpoint down") }
        return document
    }
}

/// Signing keys and their JWKs, generated once per test process (RSA key generation is slow).
struct JWKSFixture: Sendable {
    let rsaA: _RSA.Signing.PrivateKey
    let rsaB: _RSA.Signing.PrivateKey
    let ec: P256.Signing.PrivateKey

    static let shared = JWKSFixture()

    init() {
        // Key generation only fails on a broken crypto library; the tests cannot run without keys.
        rsaA = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
        rsaB = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
        ec = P256.Signing.PrivateKey()
    }

    static func rsaJWK(_ key: _RSA.Signing.PrivateKey, kid: String, alg: String? = "RS256") -> [String: Any] {
        let primitives = try! key.publicKey.getKeyPrimitives()
        var jwk: [String: Any] = [
            "kty": "RSA", "kid": kid, "use": "sig",
            "n": TestJWT.encode(primitives.modulus), "e": TestJWT.encode(primitives.publicExponent),
        ]
        jwk["alg"] = alg
        return jwk
    }

    static func ecJWK(_ key: P256.Signing.PrivateKey, kid: String) -> [String: Any] {
        let raw = key.publicKey.rawRepresentation  // x ‖ y
        return [
            "kty": "EC", "kid": kid, "use": "sig", "crv": "P-256",
            "x": TestJWT.encode(raw.prefix(32)), "y": TestJWT.encode(raw.suffix(32)),
        ]
    }

    static func jwks(_ keys: [[String: Any]]) -> Data {
        TestJWT.json(["keys": keys])
    }

    /// `rsa-a` (RS256, alg declared) and `ec-1` (ES256 by curve, no alg declared).
    var standardJWKS: Data {
        Self.jwks([Self.rsaJWK(rsaA, kid: "rsa-a"), Self.ecJWK(ec, kid: "ec-1")])
    }

    static func rs256(_ key: _RSA.Signing.PrivateKey, kid: String?, claims: [String: Any], alg: String = "RS256")
        -> String
    {
        var header: [String: Any] = ["alg": alg, "typ": "JWT"]
        header["kid"] = kid
        return try! TestJWT.make(header: header, claims: claims) { input in
            try key.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }

    static func es256(_ key: P256.Signing.PrivateKey, kid: String, claims: [String: Any], alg: String = "ES256")
        -> String
    {
        try! TestJWT.make(header: ["alg": alg, "kid": kid], claims: claims) { input in
            try key.signature(for: input).rawRepresentation
        }
    }
}

@Suite("JWKSTokenVerifier")
struct JWKSTokenVerifierTests {
    static let issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST"
    static let logger = Logger(label: "test.auth", factory: { _ in SwiftLogNoOpLogHandler() })

    let keys = JWKSFixture.shared
    let clock = ManualClock()
    let configuration = AuthConfiguration(
        jwksURL: "https://example.invalid/.well-known/jwks.json", issuer: JWKSTokenVerifierTests.issuer,
        clientIDs: ["client-a", "client-b"])

    func verifier(_ fetcher: some JWKSFetching, configuration: AuthConfiguration? = nil) -> JWKSTokenVerifier {
        JWKSTokenVerifier(
            configuration: configuration ?? self.configuration, fetcher: fetcher, logger: Self.logger,
            now: clock.function)
    }

    /// Claims of a Cognito access token, with overrides (`NSNull()` removes a claim).
    func accessClaims(_ overrides: [String: Any] = [:]) -> [String: Any] {
        let now = Int(clock.now.timeIntervalSince1970)
        var claims: [String: Any] = [
            "sub": "user-1", "iss": Self.issuer, "token_use": "access", "client_id": "client-a",
            "scope": "aws.cognito.signin.user.admin", "auth_time": now, "iat": now, "exp": now + 3600,
            "jti": "0f5e", "username": "user-1", "cognito:groups": ["admins"], "version": 2,
        ]
        for (name, value) in overrides {
            claims[name] = value is NSNull ? nil : value
        }
        return claims
    }

    @Test func rs256AccessTokenVerifies() async throws {
        let verifier = verifier(StaticJWKSFetcher(bytes: Array(keys.standardJWKS)))
        let token = JWKSFixture.rs256(keys.rsaA, kid: "rsa-a", claims: accessClaims())
        let principal = try await verifier.verify(bearerToken: token)
        #expect(principal.userID.rawValue == "user-1")
        #expect(principal.clientID == "client-a")
        #expect(principal.issuer == Self.issuer)
    }

    @Test func es256AccessTokenVerifies() async throws {
        let verifier = verifier(StaticJWKSFetcher(bytes: Array(keys.standardJWKS)))
        let token = JWKSFixture.es256(keys.ec, kid: "ec-1", claims: accessClaims())
        #expect(try await verifier.check(token).userID.rawValue == "user-1")
    }

    @Test func cognitoClaimChecks() async throws {
        let verifier = verifier(StaticJWKSFetcher(bytes: Array(keys.standardJWKS)))
        func check(_ overrides: [String: Any]) async throws(AuthFailure) -> Principal {
            try await verifier.check(JWKSFixture.rs256(keys.rsaA, kid: "rsa-a", claims: accessClaims(overrides)))
        }
        await #expect(throws: AuthFailure.wrongIssuer) { try await check(["iss": Self.issuer + "x"]) }
        await #expect(throws: AuthFailure.wrongIssuer) { try await check(["iss": NSNull()]) }
        await #expect(throws: AuthFailure.wrongTokenUse) { try await check(["token_use": "id"]) }
        await #expect(throws: AuthFailure.wrongTokenUse) { try await check(["token_use": NSNull()]) }
        await #expect(throws: AuthFailure.clientNotAllowed) { try await check(["client_id": "client-z"]) }
        await #expect(throws: AuthFailure.clientNotAllowed) { try await check(["client_id": NSNull()]) }
        await #expect(throws: AuthFailure.missingUser) { try await check(["sub": NSNull()]) }
        let now = Int(clock.now.timeIntervalSince1970)
        await #expect(throws: AuthFailure.expired) { try await check(["exp": now - 61]) }
        await #expect(throws: AuthFailure.notYetValid) { try await check(["nbf": now + 61]) }
        // Controls: each of these variations is accepted.
        #expect(try await check(["client_id": "client-b"]).clientID == "client-b")
        #expect(try await check(["exp": now - 59]).userID.rawValue == "user-1")
        #expect(try await check(["nbf": now + 59]).userID.rawValue == "user-1")
    }

    @Test func idTokensAreCheckedByAudience() async throws {
        var idConfiguration = configuration
        idConfiguration.requiredTokenUse = "id"
        let verifier = verifier(StaticJWKSFetcher(bytes: Array(keys.standardJWKS)), configuration: idConfiguration)
        func check(_ overrides: [String: Any]) async throws(AuthFailure) -> Principal {
            let claims = accessClaims(["token_use": "id", "client_id": NSNull()].merging(overrides) { $1 })
            return try await verifier.check(JWKSFixture.rs256(keys.rsaA, kid: "rsa-a", claims: claims))
        }
        #expect(try await check(["aud": "client-b"]).clientID == "client-b")
        #expect(try await check(["aud": ["other", "client-a"]]).userID.rawValue == "user-1")
        await #expect(throws: AuthFailure.clientNotAllowed) { try await check(["aud": "other"]) }
        await #expect(throws: AuthFailure.clientNotAllowed) { try await check([:]) }
        await #expect(throws: AuthFailure.wrongTokenUse) {
            try await check(["aud": "client-a", "token_use": "access"])
        }
    }

    @Test func emptyAllowListAcceptsAnyClient() async throws {
        var anyClient = configuration
        anyClient.clientIDs = []
        let verifier = verifier(StaticJWKSFetcher(bytes: Array(keys.standardJWKS)), configuration: anyClient)
        let token = JWKSFixture.rs256(keys.rsaA, kid: "rsa-a", claims: accessClaims(["client_id": "whoever"]))
        #expect(try await verifier.check(token).clientID == "whoever")
    }

    @Test func unknownKidRefetchesOnceThenIsRateLimited() async throws {
        let fetcher = ScriptedJWKSFetcher(keys.standardJWKS)
        let verifier = verifier(fetcher)
        let good = JWKSFixture.rs256(keys.rsaA, kid: "rsa-a", claims: accessClaims())
        let unknown = JWKSFixture.rs256(keys.rsaA, kid: "nope", claims: accessClaims())
        _ = try await verifier.check(good)
        #expect(fetcher.fetches == 1)
        // Inside the minimum refetch interval: rejected without a fetch.
        await #expect(throws: AuthFailure.unknownKeyID) { try await verifier.check(unknown) }
        #expect(fetcher.fetches == 1)
        clock.advance(by: 61)
        await #expect(throws: AuthFailure.unknownKeyID) { try await verifier.check(unknown) }
        #expect(fetcher.fetches == 2)
        // A flood of unknown kids right after: no further fetch.
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let token = JWKSFixture.es256(keys.ec, kid: "flood-\(index)", claims: accessClaims())
                    _ = try? await verifier.verify(bearerToken: token)
                }
            }
        }
        #expect(fetcher.fetches == 2)
        // Known keys keep working throughout.
        #expect(try await verifier.check(good).userID.rawValue == "user-1")
        clock.advance(by: 61)
        await #expect(throws: AuthFailure.unknownKeyID) { try await verifier.check(unknown) }
        #expect(fetcher.fetches == 3)
    }

    @Test func concurrentFirstRequestsShareOneFetch() async throws {
        let fetcher = ScriptedJWKSFetcher(keys.standardJWKS)
        let verifier = verifier(fetcher)
        let token = JWKSFixture.rs256(keys.rsaA, kid: "rsa-a", claims: accessClaims())
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { (try? await verifier.verify(bearerToken: token)) != nil } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(accepted == 50)
        #expect(fetcher.fetches == 1)
    }

    @Test func rotatedInKeyIsAcceptedAfterRefetch() async throws {
        let fetcher = ScriptedJWKSFetcher(JWKSFixture.jwks([JWKSFixture.rsaJWK(keys.rsaA, kid: "rsa-a")]))
        let verifier = verifier(fetcher)
        let tokenB = JWKSFixture.rs256(keys.rsaB, kid: "rsa-b", claims: accessClaims())
        await #expect(throws: AuthFailure.unknownKeyID) { try await verifier.check(tokenB) }
        fetcher.serve(
            JWKSFixture.jwks([JWKSFixture.rsaJWK(keys.rsaA, kid: "rsa-a"), JWKSFixture.rsaJWK(keys.rsaB, kid: "rsa-b")])
        )
        clock.advance(by: 61)
        #expect(try await verifier.check(tokenB).userID.rawValue == "user-1")
        #expect(fetcher.fetches == 2)
    }

    @Test func periodicRefreshDropsRotatedOutKeys() async throws {
        let fetcher = ScriptedJWKSFetcher(keys.standardJWKS)
        let verifier = verifier(fetcher)
        #expect(await verifier.refreshKeys() == 2)
        fetcher.serve(JWKSFixture.jwks([JWKSFixture.ecJWK(keys.ec, kid: "ec-1")]))
        clock.advance(by: 3601)
        // The stale set keeps serving while the refresh it triggered runs in the background.
        let tokenA = JWKSFixture.rs256(
            keys.rsaA, kid: "rsa-a", claims: accessClaims(["exp": Int(clock.now.timeIntervalSince1970) + 60]))
        #expect(try await verifier.check(tokenA).userID.rawValue == "user-1")
        var dropped = false
        for _ in 0..<500 where !dropped {  // bounded: at most ~5 s
            do {
                _ = try await verifier.check(tokenA)
                try await Task.sleep(for: .milliseconds(10))
            } catch AuthFailure.unknownKeyID {
                dropped = true
            }
        }
        #expect(dropped)
        #expect(fetcher.fetches == 2)
    }

    @Test func failedRefreshKeepsCachedKeys() async throws {
        let fetcher = ScriptedJWKSFetcher(keys.standardJWKS)
        let verifier = verifier(fetcher)
        let token = JWKSFixture.rs256(
            keys.rsaA, kid: "rsa-a", claims: accessClaims(["exp": Int(clock.now.timeIntervalSince1970) + 7200]))
        _ = try await verifier.check(token)
        fetcher.fail(true)
        clock.advance(by: 3601)
        #expect(await verifier.refreshKeys() == 2)
        fetcher.fail(false)
        fetcher.serve(Data(#"{"keys":[]}"#.utf8))
        #expect(await verifier.refreshKeys() == 2)  // an empty set is refused, not adopted
        #expect(try await verifier.check(token).userID.rawValue == "user-1")
    }

    @Test func tokenSignedByAButLabelledBIsRejected() async throws {
        let fetcher = StaticJWKSFetcher(
            bytes: Array(
                JWKSFixture.jwks([
                    JWKSFixture.rsaJWK(keys.rsaA, kid: "rsa-a"), JWKSFixture.rsaJWK(keys.rsaB, kid: "rsa-b"),
                ])))
        let verifier = verifier(fetcher)
        let mislabelled = JWKSFixture.rs256(keys.rsaA, kid: "rsa-b", claims: accessClaims())
        await #expect(throws: AuthFailure.badSignature) { try await verifier.check(mislabelled) }
        #expect(
            try await verifier.check(JWKSFixture.rs256(keys.rsaA, kid: "rsa-a", claims: accessClaims())).userID.rawValue
                == "user-1")
    }

    @Test func algorithmMustMatchTheKeysPin() async throws {
        let verifier = verifier(StaticJWKSFetcher(bytes: Array(keys.standardJWKS)))
        // RS256 header on the EC key (signed with an RSA key, as an attacker would).
        let rsOnEC = JWKSFixture.rs256(keys.rsaA, kid: "ec-1", claims: accessClaims())
        await #expect(throws: AuthFailure.algorithmNotAllowed) { try await verifier.check(rsOnEC) }
        // ES256 header on the RSA key.
        let esOnRSA = JWKSFixture.es256(keys.ec, kid: "rsa-a", claims: accessClaims())
        await #expect(throws: AuthFailure.algorithmNotAllowed) { try await verifier.check(esOnRSA) }
        // RS512 header on a key pinned to RS256 (same key material, different hash).
        let rs512 = try TestJWT.make(header: ["alg": "RS512", "kid": "rsa-a"], claims: accessClaims()) { input in
            try keys.rsaA.signature(for: SHA512.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        }
        await #expect(throws: AuthFailure.algorithmNotAllowed) { try await verifier.check(rs512) }
        // alg none, with and without a signature part.
        let input = TestJWT.signingInput(header: ["alg": "none", "kid": "rsa-a"], claims: accessClaims())
        await #expect(throws: AuthFailure.algorithmNotAllowed) { try await verifier.check(input + ".") }
        await #expect(throws: AuthFailure.algorithmNotAllowed) { try await verifier.check(input + ".c2ln") }
    }

    @Test func kidIsRequired() async throws {
        let verifier = verifier(StaticJWKSFetcher(bytes: Array(keys.standardJWKS)))
        let token = JWKSFixture.rs256(keys.rsaA, kid: nil, claims: accessClaims())
        await #expect(throws: AuthFailure.missingKeyID) { try await verifier.check(token) }
    }

    @Test func unusableKeysAreSkippedNotFatal() async throws {
        var privateJWK = JWKSFixture.rsaJWK(keys.rsaB, kid: "leaked")
        privateJWK["d"] = "AQAB"
        let document = JWKSFixture.jwks([
            ["kty": "oct", "kid": "hmac", "k": "c2VjcmV0"],
            ["kty": "RSA", "kid": "weird", "alg": "XYZ", "n": "AQAB", "e": "AQAB"],
            JWKSFixture.rsaJWK(keys.rsaB, kid: "hs-declared", alg: "HS256"),
            JWKSFixture.rsaJWK(keys.rsaB, kid: "no-alg", alg: nil),
            privateJWK,
            JWKSFixture.rsaJWK(keys.rsaA, kid: "rsa-a"),
            ["kty": "EC", "kid": "ec-as-rs", "alg": "RS256", "crv": "P-256", "x": "AA", "y": "AA"],
            JWKSFixture.rsaJWK(keys.rsaB, kid: "rsa-a"),  // duplicate kid: the first one stays
            JWKSFixture.rsaJWK(keys.rsaB, kid: "enc-key").merging(["use": "enc"]) { $1 },
        ])
        let verifier = verifier(StaticJWKSFetcher(bytes: Array(document)))
        #expect(await verifier.refreshKeys() == 2)
        #expect(
            try await verifier.check(JWKSFixture.rs256(keys.rsaA, kid: "rsa-a", claims: accessClaims())).userID.rawValue
                == "user-1")
        // A key without alg is pinned by type: RSA → RS256.
        #expect(
            try await verifier.check(JWKSFixture.rs256(keys.rsaB, kid: "no-alg", claims: accessClaims())).userID
                .rawValue == "user-1")
        for kid in ["hmac", "weird", "hs-declared", "leaked", "ec-as-rs", "enc-key"] {
            await #expect(throws: AuthFailure.unknownKeyID) {
                try await verifier.check(JWKSFixture.rs256(keys.rsaB, kid: kid, claims: accessClaims()))
            }
        }
    }

    @Test func fileFetcherRereadsTheFile() async throws {
        let directory = URL(fileURLWithPath: IntegrationEnvironment.processRoot).appendingPathComponent(
            "jwks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("jwks.json")
        try keys.standardJWKS.write(to: file)
        let fetcher = try StaticJWKSFetcher(fileURL: file.absoluteString)
        #expect(try await fetcher.fetchJWKS() == Array(keys.standardJWKS))
        try Data(#"{"keys":[]}"#.utf8).write(to: file)
        #expect(try await fetcher.fetchJWKS() == Array(#"{"keys":[]}"#.utf8))
        #expect(throws: CoreStoreError.self) { try StaticJWKSFetcher(fileURL: "https://example.com/jwks.json") }
        await #expect(throws: CoreStoreError.self) {
            try await StaticJWKSFetcher(filePath: directory.appendingPathComponent("missing").path).fetchJWKS()
        }
    }

    @Test func configurationDefaultsByMode() {
        #expect(AuthConfiguration().requiredTokenUse == nil)
        let jwks = AuthConfiguration(jwksURL: "https://x/jwks.json")
        #expect(jwks.requiredTokenUse == "access")
        #expect(jwks.userClaim == "sub")
        #expect(jwks.leeway == 60)
        #expect(jwks.jwksRefreshInterval == 3600)
        #expect(jwks.jwksMinimumRefetchInterval == 60)
        #expect(jwks.clientIDs.isEmpty)
    }
}
