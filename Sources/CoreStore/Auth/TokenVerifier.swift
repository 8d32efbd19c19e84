/// Verifies a bearer token and names the user it speaks for.
///
/// Implementations: ``HMACTokenVerifier`` (HS256, embedded mode) and ``JWKSTokenVerifier``
/// (RS256/ES256 from a JWKS, e.g. Cognito). Verification runs on every request, so it must be cheap.
public protocol TokenVerifier: Sendable {
    /// Verifies a compact JWS token (the part after `Bearer `).
    /// - Parameter bearerToken: The token.
    /// - Returns: The user the token speaks for.
    /// - Throws: `CoreStoreError(.invalidCredentials)` for every failure: malformed, wrongly signed,
    ///   expired, not yet valid, wrong issuer/token use/client, unknown key, `alg` not the key's.
    func verify(bearerToken: String) async throws -> Principal
}

extension TokenVerifier {
    /// Verifies the token carried by an `Authorization` header value.
    /// - Parameter authorizationHeader: The header value, `nil` when the header is absent.
    /// - Returns: The user the token speaks for.
    /// - Throws: `CoreStoreError(.invalidCredentials)` when the header is absent, not a single
    ///   `Bearer` token, or the token does not verify.
    public func verify(authorizationHeader: String?) async throws -> Principal {
        try await verify(bearerToken: BearerToken.extract(fromAuthorizationHeader: authorizationHeader))
    }
}

/// Parsing of `Authorization: Bearer <token>` (RFC 6750 §2.1).
public enum BearerToken {
    /// The longest token accepted, in bytes; longer ones are rejected before any parsing.
    public static let maximumBytes = 16 * 1024

    /// Extracts the token from an `Authorization` header value.
    ///
    /// Accepted: the scheme `Bearer` in any letter case, exactly one space, then one non-empty
    /// token of RFC 6750 `b64token` characters (`A–Z a–z 0–9 - . _ ~ + /`, trailing `=`).
    /// Anything else (another scheme, extra spaces, a second token, an over-long token) is rejected.
    /// - Parameter value: The header value, `nil` when the header is absent.
    /// - Returns: The token.
    /// - Throws: `CoreStoreError(.invalidCredentials)` when the value is not exactly one bearer token.
    public static func extract(fromAuthorizationHeader value: String?) throws(CoreStoreError) -> String {
        guard let value else { throw CoreStoreError(.invalidCredentials) }
        let bytes = value.utf8
        let prefix = "bearer ".utf8
        guard bytes.count > prefix.count, bytes.count - prefix.count <= maximumBytes,
            zip(bytes, prefix).allSatisfy({ asciiLowercased($0) == $1 })
        else { throw CoreStoreError(.invalidCredentials) }
        let token = bytes.dropFirst(prefix.count)
        guard isB64Token(token) else { throw CoreStoreError(.invalidCredentials) }
        return String(Substring(token))
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    /// `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`
    private static func isB64Token(_ token: Substring.UTF8View) -> Bool {
        var seenPadding = false
        var count = 0
        for byte in token {
            if byte == UInt8(ascii: "=") {
                seenPadding = true
                continue
            }
            guard !seenPadding, isTokenCharacter(byte) else { return false }
            count += 1
        }
        return count > 0
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"),
            UInt8(ascii: "/"):
            true
        default: false
        }
    }
}
