import Foundation

/// The claim checks of ``AuthConfiguration``, applied after the signature has verified.
struct ClaimsPolicy: Sendable {
    let issuer: String?
    let requiredTokenUse: String?
    let clientIDs: Set<ByteExactString>
    let userClaim: String
    let leeway: TimeInterval

    init(_ configuration: AuthConfiguration) {
        issuer = configuration.issuer
        requiredTokenUse = configuration.requiredTokenUse
        clientIDs = Set(configuration.clientIDs.map(ByteExactString.init))
        userClaim = configuration.userClaim
        leeway = max(0, configuration.leeway)
    }

    /// Checks `exp`, `nbf`, `iss`, `token_use`, `client_id`/`aud` and the user claim.
    /// - Parameters:
    ///   - claims: The verified token's claims.
    ///   - now: The current time.
    /// - Returns: The principal the token speaks for.
    /// - Throws: The first failed check.
    func principal(from claims: TokenClaims, now: Date) throws(AuthFailure) -> Principal {
        let seconds = now.timeIntervalSince1970
        guard let expiry = claims.numericDates["exp"] else { throw .missingExpiry }
        guard seconds < expiry + leeway else { throw .expired }
        if let notBefore = claims.numericDates["nbf"], seconds + leeway < notBefore { throw .notYetValid }
        // Claims and configured values compare by bytes (ByteIdentity), never by Unicode equivalence.
        if let issuer, !claims.strings["iss"].isByteEqual(to: issuer) { throw .wrongIssuer }
        if let requiredTokenUse, !claims.strings["token_use"].isByteEqual(to: requiredTokenUse) {
            throw .wrongTokenUse
        }
        let clientID = claims.strings["client_id"]
        if !clientIDs.isEmpty {
            // Cognito access tokens carry `client_id`; id tokens carry the client in `aud`.
            if let clientID {
                guard clientIDs.contains(ByteExactString(clientID)) else { throw .clientNotAllowed }
            } else {
                guard claims.audiences.contains(where: { clientIDs.contains(ByteExactString($0)) }) else {
                    throw .clientNotAllowed
                }
            }
        }
        guard let rawUserID = claims.strings[userClaim], let userID = try? UserID(validating: rawUserID) else {
            throw .missingUser
        }
        // Through `aud`: the audience that was allowed, not merely the first one listed.
        let audience =
            clientIDs.isEmpty
            ? claims.audiences.first : claims.audiences.first(where: { clientIDs.contains(ByteExactString($0)) })
        return Principal(
            userID: userID, expiresAt: Date(timeIntervalSince1970: expiry), issuer: claims.strings["iss"],
            clientID: clientID ?? audience)
    }
}

extension String? {
    /// Whether the value is present and has exactly `expected`'s UTF-8 bytes.
    fileprivate func isByteEqual(to expected: String) -> Bool {
        guard let self else { return false }
        return ByteIdentity.equal(self, expected)
    }
}
