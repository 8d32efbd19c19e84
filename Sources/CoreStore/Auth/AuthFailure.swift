/// Why a token was rejected. Internal: logged as `auth.failure`, never shown to a client,
/// which only ever sees `CoreStoreError(.invalidCredentials)`.
enum AuthFailure: String, Error, Sendable {
    /// Not three base64url parts of JSON, too long, or a claim of the wrong type.
    case malformed
    /// `alg` missing, `none`, or not the algorithm the key is pinned to.
    case algorithmNotAllowed
    /// A `crit` header names extensions this verifier does not implement (RFC 7515 §4.1.11).
    case criticalHeader
    /// The header or the claims name a member twice (`{"sub":"a","sub":"b"}`), which parsers
    /// disagree on (see ``JSONMemberNames``).
    case duplicateMember
    /// JWKS mode requires a `kid` header.
    case missingKeyID
    /// No key with the token's `kid`, even after a (rate-limited) JWKS refetch.
    case unknownKeyID
    /// The signature does not verify with the key.
    case badSignature
    /// No numeric `exp` claim.
    case missingExpiry
    /// `exp` (plus leeway) has passed.
    case expired
    /// `nbf` (minus leeway) is still in the future.
    case notYetValid
    /// `iss` is not the configured issuer.
    case wrongIssuer
    /// `token_use` is not the required one.
    case wrongTokenUse
    /// Neither `client_id` nor `aud` names an allowed client.
    case clientNotAllowed
    /// The user claim is missing, not a string, or not a valid user id.
    case missingUser
}
