import Crypto
import CryptoExtras
import Foundation
import Logging
import Testing

@testable import CoreStore

/// One attack: how to forge the token in a mode, and the exact refusal expected there. A mode with
/// no expectation does not apply (the reason is in ``notApplicable``).
struct JWTAttack: Sendable {
    let name: String
    let expected: [VerifierMode: AuthFailure]
    let notApplicable: String?
    let forge: @Sendable (TokenForge) -> String

    init(
        _ name: String, _ expected: [VerifierMode: AuthFailure], notApplicable: String? = nil,
        forge: @escaping @Sendable (TokenForge) -> String
    ) {
        self.name = name
        self.expected = expected
        self.notApplicable = notApplicable
        self.forge = forge
    }

    /// The same refusal in both modes.
    init(_ name: String, both failure: AuthFailure, forge: @escaping @Sendable (TokenForge) -> String) {
        self.init(name, [.hs256: failure, .jwks: failure], forge: forge)
    }
}

/// One row in one mode: a test case.
struct JWTAttackCase: Sendable, CustomTestStringConvertible {
    let attack: JWTAttack
    let mode: VerifierMode
    let expected: AuthFailure

    var testDescription: String { "\(attack.name) [\(mode.rawValue)] → \(expected.rawValue)" }
}

extension JWTAttack {
    static let oversizePadding = String(repeating: "x", count: BearerToken.maximumBytes)

    /// The matrix. Every row must be refused with exactly the named failure.
    static let all: [JWTAttack] = [
        // MARK: Algorithm games
        JWTAttack("alg none, empty signature", both: .algorithmNotAllowed) { forge in
            TestJWT.signingInput(header: forge.header(["alg": "none"]), claims: forge.claims()) + "."
        },
        JWTAttack("alg None, empty signature", both: .algorithmNotAllowed) { forge in
            TestJWT.signingInput(header: forge.header(["alg": "None"]), claims: forge.claims()) + "."
        },
        JWTAttack("alg NONE, empty signature", both: .algorithmNotAllowed) { forge in
            TestJWT.signingInput(header: forge.header(["alg": "NONE"]), claims: forge.claims()) + "."
        },
        JWTAttack("alg none with a valid signature of the real key", both: .algorithmNotAllowed) {
            forge in
            forge.signed(header: forge.header(["alg": "none"]))
        },
        JWTAttack("alg missing", both: .algorithmNotAllowed) { forge in
            forge.signed(header: forge.header(["alg": NSNull()]))
        },
        JWTAttack(
            "HS/RS confusion: HS256 MACed with the RSA public key (SPKI PEM)",
            [.jwks: .algorithmNotAllowed, .hs256: .algorithmNotAllowed]
        ) { forge in
            switch forge.mode {
            case .jwks:
                let pem = JWKSFixture.shared.rsaA.publicKey.pemRepresentation
                return TokenForge.hmac(
                    header: forge.header(["alg": "HS256"]), claims: forge.claims(), key: Data(pem.utf8))
            case .hs256:
                // The reverse confusion: an RS256 token (attacker's key) at the HS256 verifier.
                return TokenForge.rs256(
                    header: forge.header(["alg": "RS256"]), claims: forge.claims(),
                    key: TokenForge.attackerRSA)
            }
        },
        JWTAttack(
            "HS/RS confusion: HS256 MACed with the RSA public key (SPKI DER)",
            [.jwks: .algorithmNotAllowed],
            notApplicable: "HS256 mode has no public key to confuse"
        ) { forge in
            let der = JWKSFixture.shared.rsaA.publicKey.derRepresentation
            return TokenForge.hmac(
                header: forge.header(["alg": "HS256"]), claims: forge.claims(), key: der)
        },
        JWTAttack(
            "HS/RS confusion: HS256 MACed with the RSA public key (PKCS#1 DER)",
            [.jwks: .algorithmNotAllowed],
            notApplicable: "HS256 mode has no public key to confuse"
        ) { forge in
            let der = JWKSFixture.shared.rsaA.publicKey.pkcs1DERRepresentation
            return TokenForge.hmac(
                header: forge.header(["alg": "HS256"]), claims: forge.claims(), key: der)
        },
        JWTAttack(
            "HS/RS confusion: HS256 MACed with the JWK's modulus", [.jwks: .algorithmNotAllowed],
            notApplicable: "HS256 mode has no public key to confuse"
        ) { forge in
            let modulus = try! JWKSFixture.shared.rsaA.publicKey.getKeyPrimitives().modulus
            return TokenForge.hmac(
                header: forge.header(["alg": "HS256"]), claims: forge.claims(), key: modulus)
        },

        // MARK: Signature games
        JWTAttack("stripped signature (header.payload.)", both: .badSignature) { forge in
            TestJWT.signingInput(header: forge.header(), claims: forge.claims()) + "."
        },
        JWTAttack("signature segment removed (header.payload)", both: .malformed) { forge in
            TestJWT.signingInput(header: forge.header(), claims: forge.claims())
        },
        JWTAttack("signature of another token", both: .badSignature) { forge in
            let other = TestJWT.parts(forge.signed(claims: forge.claims(["sub": "bob"])))[2]
            return TestJWT.signingInput(header: forge.header(), claims: forge.claims()) + "." + other
        },

        // MARK: Time
        JWTAttack("expired beyond the 60 s leeway", both: .expired) { forge in
            forge.signed(claims: forge.claims(["exp": forge.now - 61]))
        },
        JWTAttack("nbf in the future beyond the leeway", both: .notYetValid) { forge in
            forge.signed(claims: forge.claims(["nbf": forge.now + 61]))
        },
        JWTAttack("exp missing", both: .missingExpiry) { forge in
            forge.signed(claims: forge.claims(["exp": NSNull()]))
        },
        JWTAttack("exp as a string", both: .malformed) { forge in
            forge.signed(claims: forge.claims(["exp": "\(forge.now + 3600)"]))
        },

        // MARK: Claims
        JWTAttack("wrong iss", both: .wrongIssuer) { forge in
            forge.signed(claims: forge.claims(["iss": TokenForge.issuer + "-evil"]))
        },
        JWTAttack("iss missing", both: .wrongIssuer) { forge in
            forge.signed(claims: forge.claims(["iss": NSNull()]))
        },
        JWTAttack("wrong token_use (id token)", both: .wrongTokenUse) { forge in
            forge.signed(claims: forge.claims(["token_use": "id"]))
        },
        JWTAttack("wrong client_id", both: .clientNotAllowed) { forge in
            forge.signed(claims: forge.claims(["client_id": "client-z"]))
        },
        JWTAttack("no client_id, wrong aud", both: .clientNotAllowed) { forge in
            forge.signed(claims: forge.claims(["client_id": NSNull(), "aud": ["client-z", "other"]]))
        },
        JWTAttack("wrong client_id, allowed aud (client_id decides)", both: .clientNotAllowed) {
            forge in
            forge.signed(claims: forge.claims(["client_id": "client-z", "aud": "client-a"]))
        },
        JWTAttack("sub missing", both: .missingUser) { forge in
            forge.signed(claims: forge.claims(["sub": NSNull()]))
        },
        JWTAttack("sub a number", both: .missingUser) { forge in
            forge.signed(claims: forge.claims(["sub": 42]))
        },
        JWTAttack("sub an array of strings", both: .missingUser) { forge in
            forge.signed(claims: forge.claims(["sub": ["alice"]]))
        },
        JWTAttack("sub an object", both: .missingUser) { forge in
            forge.signed(claims: forge.claims(["sub": ["id": "alice"]]))
        },
        JWTAttack("sub a boolean", both: .missingUser) { forge in
            forge.signed(claims: forge.claims(["sub": true]))
        },
        JWTAttack("sub null", both: .missingUser) { forge in
            forge.signed(claimsJSON: forge.claimsJSON(#""sub":null"#))
        },
        JWTAttack("sub empty", both: .missingUser) { forge in
            forge.signed(claims: forge.claims(["sub": ""]))
        },

        // MARK: Duplicate names (JSONDecoder keeps the first, RFC 7519 parsers may keep the last)
        JWTAttack("two sub claims", both: .duplicateMember) { forge in
            forge.signed(claimsJSON: forge.claimsJSON(#""sub":"alice","sub":"bob""#))
        },
        JWTAttack("two sub claims, the first a number", both: .duplicateMember) { forge in
            forge.signed(claimsJSON: forge.claimsJSON(#""sub":42,"sub":"bob""#))
        },
        JWTAttack("sub repeated through a \\u escape", both: .duplicateMember) { forge in
            forge.signed(claimsJSON: forge.claimsJSON(#""sub":"alice","s\u0075b":"bob""#))
        },
        JWTAttack("two exp claims", both: .duplicateMember) { forge in
            // JSONDecoder keeps the first (valid) exp; a last-wins parser sees an expired token.
            forge.signed(claimsJSON: forge.claimsJSON(#""sub":"alice","exp":\#(forge.now - 3600)"#))
        },
        JWTAttack("two alg header fields", both: .duplicateMember) { forge in
            let alg = forge.mode == .hs256 ? "HS256" : "RS256"
            return forge.signed(
                headerJSON: #"{"alg":"\#(alg)","alg":"none","kid":"rsa-a"}"#,
                claimsJSON: String(decoding: TestJWT.json(forge.claims()), as: UTF8.self))
        },

        // MARK: Keys the token tries to bring along
        JWTAttack(
            "unknown kid", [.jwks: .unknownKeyID],
            notApplicable: "HS256 mode has one key and ignores kid"
        ) { forge in
            forge.signed(header: forge.header(["kid": "rsa-rotated-out"]))
        },
        JWTAttack("kid missing", [.jwks: .missingKeyID], notApplicable: "HS256 mode ignores kid") {
            forge in
            forge.signed(header: forge.header(["kid": NSNull()]))
        },
        JWTAttack("embedded jwk header with the attacker's key", both: .badSignature) { forge in
            switch forge.mode {
            case .jwks:
                TokenForge.rs256(
                    header: forge.header(["jwk": TokenForge.attackerJWK]), claims: forge.claims(),
                    key: TokenForge.attackerRSA)
            case .hs256:
                TokenForge.hmac(
                    header: forge.header([
                        "jwk": ["kty": "oct", "k": TestJWT.encode(Data(TokenForge.attackerSecret))]
                    ]),
                    claims: forge.claims(), key: TokenForge.attackerSecret)
            }
        },
        JWTAttack("jku header pointing at the attacker's JWKS", both: .badSignature) { forge in
            let header = forge.header(["jku": "https://attacker.example/jwks.json"])
            return switch forge.mode {
            case .jwks:
                TokenForge.rs256(header: header, claims: forge.claims(), key: TokenForge.attackerRSA)
            case .hs256:
                TokenForge.hmac(header: header, claims: forge.claims(), key: TokenForge.attackerSecret)
            }
        },
        JWTAttack("x5c header with the attacker's certificate chain", both: .badSignature) { forge in
            let der = TokenForge.attackerRSA.publicKey.derRepresentation.base64EncodedString()
            let header = forge.header(["x5c": [der]])
            return switch forge.mode {
            case .jwks:
                TokenForge.rs256(header: header, claims: forge.claims(), key: TokenForge.attackerRSA)
            case .hs256:
                TokenForge.hmac(header: header, claims: forge.claims(), key: TokenForge.attackerSecret)
            }
        },
        JWTAttack("crit header", both: .criticalHeader) { forge in
            forge.signed(header: forge.header(["crit": ["exp"]]))
        },

        // MARK: Size
        JWTAttack("oversize token, validly signed", both: .malformed) { forge in
            forge.signed(claims: forge.claims(["pad": oversizePadding]))
        },
    ]

    /// Every row in every mode it applies to.
    static var cases: [JWTAttackCase] {
        all.flatMap { attack in
            VerifierMode.allCases.compactMap { mode in
                attack.expected[mode].map { JWTAttackCase(attack: attack, mode: mode, expected: $0) }
            }
        }
    }
}

/// The JWT attack matrix: each row is refused with its specific failure, and the same token without
/// the attack is accepted, so a row cannot pass for an unrelated reason.
@Suite("JWTAttackMatrix")
struct JWTAttackMatrixTests {
    static let logger = Logger(label: "test.auth", factory: { _ in SwiftLogNoOpLogHandler() })
    let clock = ManualClock()

    func forge(_ mode: VerifierMode) -> TokenForge {
        TokenForge(mode: mode, now: Int(clock.now.timeIntervalSince1970))
    }

    /// Runs the mode's verifier, returning the principal or the exact failure.
    func check(_ token: String, mode: VerifierMode) async throws(AuthFailure) -> Principal {
        let configuration = forge(mode).configuration
        switch mode {
        case .hs256:
            let verifier = try! HMACTokenVerifier(
                secret: TokenForge.secret, configuration: configuration, logger: Self.logger,
                now: clock.function)
            return try verifier.check(token)
        case .jwks:
            let verifier = JWKSTokenVerifier(
                configuration: configuration,
                fetcher: StaticJWKSFetcher(bytes: Array(JWKSFixture.shared.standardJWKS)),
                logger: Self.logger,
                now: clock.function)
            return try await verifier.check(token)
        }
    }

    func verify(_ token: String, mode: VerifierMode) async throws -> Principal {
        let configuration = forge(mode).configuration
        if mode == .hs256 {
            let verifier = try HMACTokenVerifier(
                secret: TokenForge.secret, configuration: configuration, logger: Self.logger,
                now: clock.function)
            return try await verifier.verify(bearerToken: token)
        }
        let verifier = JWKSTokenVerifier(
            configuration: configuration,
            fetcher: StaticJWKSFetcher(bytes: Array(JWKSFixture.shared.standardJWKS)),
            logger: Self.logger,
            now: clock.function)
        return try await verifier.verify(bearerToken: token)
    }

    @Test(arguments: JWTAttack.cases)
    func attackIsRefused(_ attackCase: JWTAttackCase) async throws {
        let token = attackCase.attack.forge(forge(attackCase.mode))
        await #expect(throws: attackCase.expected) { try await check(token, mode: attackCase.mode) }
        // A client only ever learns "invalid credentials".
        await #expect(throws: CoreStoreError(.invalidCredentials)) {
            try await verify(token, mode: attackCase.mode)
        }
    }

    @Test(arguments: VerifierMode.allCases)
    func controlsAreAccepted(_ mode: VerifierMode) async throws {
        let forge = forge(mode)
        // The forge's own tokens verify, by dictionary and by raw JSON text, so refusals come from the attack.
        #expect(try await check(forge.signed(), mode: mode).userID.rawValue == "alice")
        let raw = forge.signed(claimsJSON: forge.claimsJSON(#""sub":"alice""#))
        #expect(try await check(raw, mode: mode).userID.rawValue == "alice")
        // Borderline values just inside each limit.
        #expect(
            try await check(forge.signed(claims: forge.claims(["exp": forge.now - 59])), mode: mode)
                .userID.rawValue == "alice")
        #expect(
            try await check(forge.signed(claims: forge.claims(["nbf": forge.now + 59])), mode: mode)
                .userID.rawValue == "alice")
        #expect(
            try await check(
                forge.signed(claims: forge.claims(["client_id": NSNull(), "aud": ["x", "client-a"]])),
                mode: mode
            )
            .clientID == "client-a")
        // The same name nested inside another claim is not a duplicate.
        let nested = forge.signed(claims: forge.claims(["ctx": ["sub": "bob", "exp": 1]]))
        #expect(try await check(nested, mode: mode).userID.rawValue == "alice")
        // Just under the size limit is still parsed (and accepted).
        let padding = String(repeating: "x", count: BearerToken.maximumBytes / 2)
        #expect(
            try await check(forge.signed(claims: forge.claims(["pad": padding])), mode: mode).userID
                .rawValue == "alice")
    }

    @Test func hs256IgnoresKid() async throws {
        // Documented non-row: HS256 mode has one key, so a kid (known or not) changes nothing.
        let forge = forge(.hs256)
        #expect(
            try await check(forge.signed(header: forge.header(["kid": "whatever"])), mode: .hs256).userID
                .rawValue == "alice")
    }

    @Test func everyRowRunsInJWKSModeAndNonApplicableModesAreExplained() {
        for attack in JWTAttack.all {
            #expect(attack.expected[.jwks] != nil, "\(attack.name)")
            #expect((attack.expected[.hs256] == nil) == (attack.notApplicable != nil), "\(attack.name)")
        }
    }

    @Test(arguments: [
        (#"{"a":1,"b":2}"#, false), (#"{"a":1,"a":2}"#, true), (#"{"a":{"a":1},"b":[{"a":1}]}"#, false),
        (#"{"a":"\"a\"","b":1}"#, false), (#"{"\u0061":1,"a":2}"#, true), (#"{"a\\":1,"a":2}"#, false),
        (#"{"é":1,"e\u0301":2}"#, true), (#" { "a" : 1 , "a" : 2 } "#, true), (#"["a","a"]"#, false),
        (#"{"a":"b","b":"a"}"#, false), (#"{"a":"x,\"a\":1"}"#, false),
    ])
    func duplicateNameScanner(json: String, duplicate: Bool) {
        #expect(JSONMemberNames.containsDuplicate(in: Array(json.utf8)) == duplicate)
    }
}
