/// Fetches a JWKS document (RFC 7517 §5) for ``JWKSTokenVerifier``.
///
/// The production implementation fetches ``AuthConfiguration/jwksURL`` over HTTPS;
/// ``StaticJWKSFetcher`` serves fixed bytes or a local file.
public protocol JWKSFetching: Sendable {
    /// Returns the current JWKS JSON. Any thrown error is logged by the verifier, which then
    /// keeps its cached keys.
    func fetchJWKS() async throws -> [UInt8]
}
