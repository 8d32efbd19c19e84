import Foundation
internal import JWTKit

/// A compact JWS (`header.payload.signature`) split and decoded by jwt-kit's parser, not yet verified.
struct SignedToken {
    /// The header's `alg`.
    let algorithm: String
    /// The header's `kid`, when present.
    let keyID: String?
    /// The decoded payload.
    let claims: TokenClaims
    /// The decoded signature.
    let signature: Data
    /// `header.payload`: the bytes the signature covers.
    let signingInput: ArraySlice<UInt8>

    /// jwt-kit's default parser (base64url + JSON); stateless, so one is shared.
    private static let parser = DefaultJWTParser()

    /// Splits and decodes a token.
    /// - Parameter token: The compact serialization.
    /// - Throws: ``AuthFailure/malformed``, ``AuthFailure/algorithmNotAllowed`` (no string `alg`, or
    ///   `none`), ``AuthFailure/criticalHeader``, ``AuthFailure/duplicateMember`` (a header or claim
    ///   name repeated: `JSONDecoder` keeps the first, RFC 7519 parsers may keep the last).
    init(parsing token: String) throws(AuthFailure) {
        let bytes = Array(token.utf8)
        guard !bytes.isEmpty, bytes.count <= BearerToken.maximumBytes,
            let lastPeriod = bytes.lastIndex(of: UInt8(ascii: "."))
        else { throw .malformed }
        let parsed: (header: JWTHeader, payload: TokenClaims, signature: Data)
        do {
            parsed = try Self.parser.parse(bytes, as: TokenClaims.self)
        } catch {
            throw .malformed
        }
        let segments = bytes.split(separator: UInt8(ascii: "."), maxSplits: 2, omittingEmptySubsequences: false)
        guard segments.count == 3, let headerJSON = Base64URL.decode(segments[0]),
            let payloadJSON = Base64URL.decode(segments[1])
        else { throw .malformed }
        guard !JSONMemberNames.containsDuplicate(in: headerJSON), !JSONMemberNames.containsDuplicate(in: payloadJSON)
        else { throw .duplicateMember }
        guard let algorithm = parsed.header.alg, algorithm != "none" else { throw .algorithmNotAllowed }
        guard parsed.header.fields["crit"] == nil else { throw .criticalHeader }
        let kidField = parsed.header.fields["kid"]
        guard kidField == nil || kidField?.asString != nil else { throw .malformed }
        self.algorithm = algorithm
        self.keyID = kidField?.asString
        self.claims = parsed.payload
        self.signature = parsed.signature
        self.signingInput = bytes[..<lastPeriod]
    }
}
