internal import Crypto
public import Foundation
public import Logging

/// Verifies HS256 tokens signed with a shared secret (embedded mode; `dev-token` issues them).
///
/// The algorithm is pinned: a token whose header says anything but `HS256` (including `none`)
/// is rejected before its signature is looked at. The MAC is compared in constant time.
public struct HMACTokenVerifier: TokenVerifier {
    /// The one algorithm accepted.
    public static let algorithm = "HS256"
    /// The shortest secret accepted, in bytes (the SHA-256 output size, RFC 7518 §3.2).
    public static let minimumSecretBytes = 32

    private let key: SymmetricKey
    private let policy: ClaimsPolicy
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Creates a verifier.
    /// - Parameters:
    ///   - secret: The shared secret, at least ``minimumSecretBytes`` bytes.
    ///   - configuration: Claim checks (`iss`, user claim, leeway; `token_use` only if set).
    ///   - logger: Receives one debug line per rejected token (`auth.failure`).
    ///   - now: The clock; tests inject one.
    /// - Throws: `CoreStoreError(.internalError)` when the secret is too short.
    public init(
        secret: [UInt8],
        configuration: AuthConfiguration = AuthConfiguration(),
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(CoreStoreError) {
        guard secret.count >= Self.minimumSecretBytes else {
            throw CoreStoreError(.internalError, "the HS256 secret must be at least 32 bytes")
        }
        self.key = SymmetricKey(data: secret)
        self.policy = ClaimsPolicy(configuration)
        self.logger = logger
        self.now = now
    }

    /// Verifies an HS256 token.
    /// - Parameter bearerToken: The compact token.
    /// - Returns: The user the token speaks for.
    /// - Throws: `CoreStoreError(.invalidCredentials)` for every failure.
    public func verify(bearerToken: String) async throws -> Principal {
        do {
            return try check(bearerToken)
        } catch {
            logger.debug("bearer token rejected", metadata: ["auth.failure": "\(error.rawValue)"])
            throw CoreStoreError(.invalidCredentials)
        }
    }

    /// The verification, with the reason for a rejection (for logs and tests).
    func check(_ bearerToken: String) throws(AuthFailure) -> Principal {
        let token = try SignedToken(parsing: bearerToken)
        guard token.algorithm == Self.algorithm else { throw .algorithmNotAllowed }
        guard HMAC<SHA256>.isValidAuthenticationCode(token.signature, authenticating: token.signingInput, using: key)
        else { throw .badSignature }
        return try policy.principal(from: token.claims, now: now())
    }

    /// Issues an HS256 token (for `upload-node dev-token` and tests).
    /// - Parameters:
    ///   - userID: The user, written to `userClaim`.
    ///   - ttl: Seconds until `exp` (clamped to 0…10 years).
    ///   - secret: The shared secret.
    ///   - issuer: The `iss` to write, if any.
    ///   - userClaim: The claim to hold the user id (default `sub`).
    ///   - now: The issue time (`iat`).
    /// - Returns: The compact token.
    public static func issue(
        userID: UserID,
        ttl: TimeInterval,
        secret: [UInt8],
        issuer: String? = nil,
        userClaim: String = "sub",
        now: Date = Date()
    ) -> String {
        let issuedAt = Int(now.timeIntervalSince1970.rounded(.down))
        let lifetime = Int(min(max(ttl.isNaN ? 0 : ttl, 0), 10 * 366 * 24 * 3600))
        var payload = "{\(JSONText.string(userClaim)):\(JSONText.string(userID.rawValue))"
        payload += ",\"iat\":\(issuedAt),\"exp\":\(issuedAt + lifetime)"
        if let issuer { payload += ",\"iss\":\(JSONText.string(issuer))" }
        payload += "}"
        let header = #"{"alg":"HS256","typ":"JWT"}"#
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: secret))
        return signingInput + "." + Base64URL.encode(Array(mac))
    }
}

/// Minimal JSON text for the claims ``HMACTokenVerifier/issue(userID:ttl:secret:issuer:userClaim:now:)`` writes.
enum JSONText {
    /// A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped.
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Unpadded base64url (RFC 4648 §5), as JWS uses it.
enum Base64URL {
    /// Encodes bytes without padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Decodes base64url with or without padding.
    /// - Parameter text: The encoded bytes.
    /// - Returns: The decoded bytes, `nil` when `text` is not base64url.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var standard = text.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "-"): UInt8(ascii: "+")
            case UInt8(ascii: "_"): UInt8(ascii: "/")
            default: byte
            }
        }
        while standard.last == UInt8(ascii: "=") { standard.removeLast() }
        standard += Array(repeating: UInt8(ascii: "="), count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: Data(standard)).map(Array.init)
    }
}
