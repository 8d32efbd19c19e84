import Crypto
import CryptoExtras
import Foundation
import Logging
import Testing

@testable import CoreStore

/// The two verifier modes every attack is tried against.
enum VerifierMode: String, Sendable, CaseIterable {
    /// ``HMACTokenVerifier`` with the shared secret (embedded mode).
    case hs256
    /// ``JWKSTokenVerifier`` over `rsa-a` (RS256) and `ec-1` (ES256) (Cognito mode).
    case jwks
}

/// Mints tokens for one mode: the legitimate signing key of that mode and Cognito-style claims that
/// both verifiers accept, so a row changes exactly one thing.
struct TokenForge: Sendable {
    static let issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_MATRIX"
    static let secret = HMACTokenVerifierTests.secret
    /// An RSA key that is not in the JWKS: the attacker's.
    static var attackerRSA: _RSA.Signing.PrivateKey { JWKSFixture.shared.rsaB }
    static let attackerSecret = Array("attacker-chosen-secret-32-bytes!!".utf8)

    let mode: VerifierMode
    let now: Int

    /// The configuration both verifiers run with: `iss`, `token_use` and one allowed client.
    var configuration: AuthConfiguration {
        switch mode {
        case .hs256:
            var configuration = AuthConfiguration(issuer: Self.issuer, clientIDs: ["client-a"])
            configuration.requiredTokenUse = "access"
            return configuration
        case .jwks:
            return AuthConfiguration(
                jwksURL: "https://example.invalid/jwks.json", issuer: Self.issuer, clientIDs: ["client-a"])
        }
    }

    /// Valid claims with overrides (`NSNull()` removes a claim).
    func claims(_ overrides: [String: Any] = [:]) -> [String: Any] {
        var claims: [String: Any] = [
            "sub": "alice", "iss": Self.issuer, "token_use": "access", "client_id": "client-a",
            "iat": now, "exp": now + 3600,
        ]
        for (name, value) in overrides { claims[name] = value is NSNull ? nil : value }
        return claims
    }

    /// The header the legitimate issuer writes, with overrides (`NSNull()` removes a field).
    func header(_ overrides: [String: Any] = [:]) -> [String: Any] {
        var header: [String: Any] =
            switch mode {
            case .hs256: ["alg": "HS256", "typ": "JWT"]
            case .jwks: ["alg": "RS256", "typ": "JWT", "kid": "rsa-a"]
            }
        for (name, value) in overrides { header[name] = value is NSNull ? nil : value }
        return header
    }

    /// The legitimate signature over `input` (HMAC with the secret, or RS256 with `rsa-a`).
    func legitimateSignature(_ input: Data) -> Data {
        switch mode {
        case .hs256:
            Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: Self.secret)))
        case .jwks:
            try! JWKSFixture.shared.rsaA.signature(for: input, padding: .insecurePKCS1v1_5)
                .rawRepresentation
        }
    }

    /// A token signed with the legitimate key.
    func signed(header: [String: Any]? = nil, claims: [String: Any]? = nil) -> String {
        TestJWT.make(
            header: header ?? self.header(), claims: claims ?? self.claims(), sign: legitimateSignature)
    }

    /// A token from raw JSON texts (for what `JSONSerialization` cannot write, like repeated names),
    /// signed with the legitimate key.
    func signed(headerJSON: String, claimsJSON: String) -> String {
        let input = TestJWT.encode(Data(headerJSON.utf8)) + "." + TestJWT.encode(Data(claimsJSON.utf8))
        return input + "." + TestJWT.encode(legitimateSignature(Data(input.utf8)))
    }

    /// The legitimate header as JSON text.
    var headerJSON: String { String(decoding: TestJWT.json(header()), as: UTF8.self) }

    /// HMAC-SHA256 over the signing input with an arbitrary key.
    static func hmac(header: [String: Any], claims: [String: Any], key: some DataProtocol) -> String {
        TestJWT.make(header: header, claims: claims) { input in
            Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: Data(key))))
        }
    }

    /// RS256 with an arbitrary RSA key.
    static func rs256(header: [String: Any], claims: [String: Any], key: _RSA.Signing.PrivateKey)
        -> String
    {
        try! TestJWT.make(header: header, claims: claims) { input in
            try key.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation
        }
    }

    /// The attacker's public key as a JWK.
    static var attackerJWK: [String: Any] { JWKSFixture.rsaJWK(attackerRSA, kid: "rsa-a") }
}

extension TokenForge {
    /// A token whose claims are raw JSON text, signed with the legitimate key and header.
    func signed(claimsJSON: String) -> String {
        signed(headerJSON: headerJSON, claimsJSON: claimsJSON)
    }

    /// Raw claims JSON: the valid `iss`, `token_use`, `client_id` and `exp`, then `members`.
    func claimsJSON(_ members: String) -> String {
        #"{"iss":"\#(Self.issuer)","token_use":"access","client_id":"client-a","exp":\#(now + 3600),\#(members)}"#
    }
}
