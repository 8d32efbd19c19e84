import Crypto
import CryptoExtras
import Foundation
import Logging
import Testing

@testable import CoreStore

@Suite("HMACTokenVerifier")
struct HMACTokenVerifierTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let logger = Logger(label: "test.auth", factory: { _ in SwiftLogNoOpLogHandler() })

    let clock = ManualClock()
    let alice = try! UserID(validating: "alice")

    func verifier(_ configuration: AuthConfiguration = AuthConfiguration()) throws -> HMACTokenVerifier {
        try HMACTokenVerifier(
            secret: Self.secret, configuration: configuration, logger: Self.logger, now: clock.function)
    }

    /// An HS256 token with exactly these claims, signed with `secret`.
    func handMade(
        _ claims: [String: Any], header: [String: Any] = ["alg": "HS256", "typ": "JWT"],
        secret: [UInt8] = HMACTokenVerifierTests.secret
    ) -> String {
        TestJWT.make(header: header, claims: claims) { input in
            Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: secret)))
        }
    }

    var nowSeconds: Int { Int(clock.now.timeIntervalSince1970) }

    @Test func issuedTokenVerifies() async throws {
        let token = HMACTokenVerifier.issue(userID: alice, ttl: 600, secret: Self.secret, issuer: nil, now: clock.now)
        let principal = try await verifier().verify(bearerToken: token)
        #expect(principal.userID == alice)
        #expect(principal.expiresAt == clock.now.addingTimeInterval(600))
        #expect(TestJWT.parts(token).count == 3)
    }

    @Test func issuerIsWrittenAndChecked() async throws {
        let token = HMACTokenVerifier.issue(userID: alice, ttl: 600, secret: Self.secret, issuer: "uds", now: clock.now)
        let principal = try await verifier(AuthConfiguration(issuer: "uds")).verify(bearerToken: token)
        #expect(principal.issuer == "uds")
        #expect(throws: AuthFailure.wrongIssuer) { try verifier(AuthConfiguration(issuer: "other")).check(token) }
        let noIssuer = HMACTokenVerifier.issue(
            userID: alice, ttl: 600, secret: Self.secret, issuer: nil, now: clock.now)
        #expect(throws: AuthFailure.wrongIssuer) { try verifier(AuthConfiguration(issuer: "uds")).check(noIssuer) }
    }

    @Test func userIDsNeedingJSONEscapesRoundTrip() async throws {
        let odd = try UserID(validating: #"a"b\c/ü 😀"#)
        let token = HMACTokenVerifier.issue(userID: odd, ttl: 60, secret: Self.secret, issuer: nil, now: clock.now)
        #expect(try await verifier().verify(bearerToken: token).userID == odd)
    }

    @Test func customUserClaim() async throws {
        let token = HMACTokenVerifier.issue(
            userID: alice, ttl: 60, secret: Self.secret, issuer: nil, userClaim: "username", now: clock.now)
        #expect(try verifier(AuthConfiguration(userClaim: "username")).check(token).userID == alice)
        #expect(throws: AuthFailure.missingUser) { try verifier().check(token) }
    }

    @Test func expiredBeyondLeewayIsRejected() async throws {
        let token = HMACTokenVerifier.issue(userID: alice, ttl: 60, secret: Self.secret, issuer: nil, now: clock.now)
        clock.advance(by: 60 + 59)  // past exp, inside the 60 s leeway
        #expect(try verifier().check(token).userID == alice)
        clock.advance(by: 2)  // past exp + leeway
        #expect(throws: AuthFailure.expired) { try verifier().check(token) }
        await #expect(throws: CoreStoreError(.invalidCredentials)) { try await verifier().verify(bearerToken: token) }
    }

    @Test func zeroLeewayRejectsAtExpiry() throws {
        let token = HMACTokenVerifier.issue(userID: alice, ttl: 10, secret: Self.secret, issuer: nil, now: clock.now)
        clock.advance(by: 10)
        #expect(throws: AuthFailure.expired) { try verifier(AuthConfiguration(leeway: 0)).check(token) }
    }

    @Test func notBeforeInTheFutureIsRejected() throws {
        let future = handMade(["sub": "alice", "exp": nowSeconds + 3600, "nbf": nowSeconds + 120])
        #expect(throws: AuthFailure.notYetValid) { try verifier().check(future) }
        let withinLeeway = handMade(["sub": "alice", "exp": nowSeconds + 3600, "nbf": nowSeconds + 30])
        #expect(try verifier().check(withinLeeway).userID == alice)
    }

    @Test func missingOrMistypedTimeClaims() throws {
        #expect(throws: AuthFailure.missingExpiry) { try verifier().check(handMade(["sub": "alice"])) }
        #expect(throws: AuthFailure.malformed) {
            try verifier().check(handMade(["sub": "alice", "exp": "\(nowSeconds + 60)"]))
        }
        #expect(throws: AuthFailure.malformed) {
            try verifier().check(handMade(["sub": "alice", "exp": nowSeconds + 60, "nbf": "soon"]))
        }
    }

    @Test func wrongSecretIsRejected() throws {
        let other = Array("fedcba9876543210fedcba9876543210".utf8)
        let token = HMACTokenVerifier.issue(userID: alice, ttl: 60, secret: other, issuer: nil, now: clock.now)
        #expect(throws: AuthFailure.badSignature) { try verifier().check(token) }
    }

    @Test func tamperedPayloadIsRejected() throws {
        let token = HMACTokenVerifier.issue(userID: alice, ttl: 60, secret: Self.secret, issuer: nil, now: clock.now)
        let parts = TestJWT.parts(token)
        let forged = TestJWT.encode(TestJWT.json(["sub": "mallory", "exp": nowSeconds + 60]))
        #expect(try verifier().check(token).userID == alice)
        #expect(throws: AuthFailure.badSignature) {
            try verifier().check([parts[0], forged, parts[2]].joined(separator: "."))
        }
        // Flipping one signature character is caught too.
        var signature = Array(parts[2])
        signature[0] = signature[0] == "A" ? "B" : "A"
        let flipped = [parts[0], parts[1], String(signature)].joined(separator: ".")
        #expect(throws: AuthFailure.badSignature) { try verifier().check(flipped) }
    }

    @Test(arguments: ["none", "None", "NONE", "HS384", "HS512", "RS256", ""])
    func algorithmsOtherThanHS256AreRejected(alg: String) throws {
        let claims: [String: Any] = ["sub": "alice", "exp": nowSeconds + 60]
        // Validly MACed with the right secret: only the header's alg is wrong.
        let signed = handMade(claims, header: ["alg": alg, "typ": "JWT"])
        #expect(throws: AuthFailure.algorithmNotAllowed) { try verifier().check(signed) }
        // The classic unsigned form: empty signature part.
        let unsigned = TestJWT.signingInput(header: ["alg": alg], claims: claims) + "."
        #expect(throws: AuthFailure.algorithmNotAllowed) { try verifier().check(unsigned) }
    }

    @Test func missingAlgorithmIsRejected() throws {
        let token = handMade(["sub": "alice", "exp": nowSeconds + 60], header: ["typ": "JWT"])
        #expect(throws: AuthFailure.algorithmNotAllowed) { try verifier().check(token) }
    }

    @Test func criticalHeaderIsRejected() throws {
        let token = handMade(["sub": "alice", "exp": nowSeconds + 60], header: ["alg": "HS256", "crit": ["b64"]])
        #expect(throws: AuthFailure.criticalHeader) { try verifier().check(token) }
    }

    @Test func missingOrInvalidSubjectIsRejected() throws {
        #expect(throws: AuthFailure.missingUser) { try verifier().check(handMade(["exp": nowSeconds + 60])) }
        #expect(throws: AuthFailure.missingUser) {
            try verifier().check(handMade(["sub": 42, "exp": nowSeconds + 60]))
        }
        #expect(throws: AuthFailure.missingUser) {
            try verifier().check(handMade(["sub": "", "exp": nowSeconds + 60]))
        }
        #expect(throws: AuthFailure.missingUser) {
            try verifier().check(handMade(["sub": "a\u{1}b", "exp": nowSeconds + 60]))
        }
    }

    @Test(arguments: [
        "", "a.b", "a.b.c", "..", "...", "a.b.c.d", String(repeating: ".", count: 10 * 1024),
        String(repeating: "a", count: 20 * 1024), "eyJhbGciOiJIUzI1NiJ9.e30", "eyJhbGciOiJIUzI1NiJ9.!!!.abc",
        "bm90IGpzb24.bm90IGpzb24.c2ln", "W10.W10.c2ln",
    ])
    func garbageIsRejected(token: String) async throws {
        #expect(throws: AuthFailure.malformed) { try verifier().check(token) }
        await #expect(throws: CoreStoreError(.invalidCredentials)) { try await verifier().verify(bearerToken: token) }
    }

    @Test func shortSecretIsRefused() {
        #expect(throws: CoreStoreError.self) {
            try HMACTokenVerifier(secret: Array(repeating: 1, count: 31), logger: Self.logger)
        }
    }

    @Test func hsTokenSignedWithRSAPublicKeyIsRejectedByJWKSVerifier() async throws {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let primitives = try rsa.publicKey.getKeyPrimitives()
        let jwks = TestJWT.json([
            "keys": [
                [
                    "kty": "RSA", "kid": "rsa-1", "use": "sig",
                    "n": TestJWT.encode(primitives.modulus), "e": TestJWT.encode(primitives.publicExponent),
                ]
            ]
        ])
        let jwksVerifier = JWKSTokenVerifier(
            configuration: AuthConfiguration(jwksURL: "file:///unused"),
            fetcher: StaticJWKSFetcher(bytes: Array(jwks)), logger: Self.logger, now: clock.function)
        let claims: [String: Any] = ["sub": "alice", "exp": nowSeconds + 60, "token_use": "access"]
        // Control: a genuine RS256 token with this key verifies, so the rejection below is about alg.
        let genuine = try TestJWT.make(header: ["alg": "RS256", "kid": "rsa-1"], claims: claims) { input in
            try rsa.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation
        }
        #expect(try await jwksVerifier.check(genuine).userID == alice)
        let publicKeyEncodings = [
            Data(rsa.publicKey.pemRepresentation.utf8), rsa.publicKey.derRepresentation,
            rsa.publicKey.pkcs1DERRepresentation, Data(rsa.publicKey.pkcs1PEMRepresentation.utf8),
        ]
        for keyBytes in publicKeyEncodings {
            let forged = TestJWT.make(header: ["alg": "HS256", "kid": "rsa-1"], claims: claims) { input in
                Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: keyBytes)))
            }
            await #expect(throws: AuthFailure.algorithmNotAllowed) { try await jwksVerifier.check(forged) }
        }
    }
}

@Suite("BearerToken")
struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer abc.def.ghi", "abc.def.ghi"), ("bearer abc", "abc"), ("BEARER abc", "abc"),
        ("BeArEr a-b_c~d+e/f", "a-b_c~d+e/f"),
        ("Bearer abc==", "abc=="),
    ])
    func accepted(header: String, token: String) throws {
        #expect(try BearerToken.extract(fromAuthorizationHeader: header) == token)
    }

    @Test(
        arguments: [
            nil, "", "Bearer", "Bearer ", "Bearer  abc", "Bearer abc def", "Bearer abc ", " Bearer abc", "Bearer\tabc",
            "Basic abc", "Bearerabc", "Token abc", "Bearer =abc", "Bearer a=b", "Bearer ===", "Bearer abc,def",
            "Bearer ab\"c", "Bearer äbc", "Bearer " + String(repeating: "a", count: BearerToken.maximumBytes + 1),
        ] as [String?])
    func rejected(header: String?) {
        #expect(throws: CoreStoreError(.invalidCredentials)) {
            try BearerToken.extract(fromAuthorizationHeader: header)
        }
    }

    @Test func longestTokenIsAccepted() throws {
        let token = String(repeating: "a", count: BearerToken.maximumBytes)
        #expect(try BearerToken.extract(fromAuthorizationHeader: "Bearer " + token) == token)
    }

    @Test func verifierReadsHeader() async throws {
        let secret = HMACTokenVerifierTests.secret
        let verifier = try HMACTokenVerifier(secret: secret, logger: HMACTokenVerifierTests.logger)
        let user = try UserID(validating: "bob")
        let token = HMACTokenVerifier.issue(userID: user, ttl: 60, secret: secret, issuer: nil)
        #expect(try await verifier.verify(authorizationHeader: "Bearer \(token)").userID == user)
        await #expect(throws: CoreStoreError(.invalidCredentials)) {
            try await verifier.verify(authorizationHeader: nil)
        }
        await #expect(throws: CoreStoreError(.invalidCredentials)) {
            try await verifier.verify(authorizationHeader: "Basic \(token)")
        }
    }
}
