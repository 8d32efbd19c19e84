import Foundation

/// The claim checks of ``AuthConfiguration``, applied after the signature has verified.
struct ClaimsPolicy: Sendable {
    let issuer: String?
    let requiredTokenUse: String?
    let clientIDs: Set<String>
    let userClaim: String
    let leeway: TimeInterval

    init(_ configuration: AuthConfiguration) {
        issuer = configuration.issuer
        requiredTokenUse = configuration.requiredTokenUse
        clientIDs = Set(configuration.clientIDs)
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
        if let issuer, claims.strings["iss"] != issuer { throw .wrongIssuer }
        if let requiredTokenUse, claims.strings["token_use"] != requiredTokenUse { throw .wrongTokenUse }
        let clientID = claims.strings["client_id"]
        if !clientIDs.isEmpty {
            // Cognito access tokens carry `client_id`; id tokens carry the client in `aud`.
            if let clientID {
                guard clientIDs.contains(clientID) else { throw .clientNotAllowed }
            } else {
                guard claims.audiences.contains(where: clientIDs.contains) else { throw .clientNotAllowed }
            }
        }
        guard let rawUserID = claims.strings[userClaim], let userID = try? UserID(validating: rawUserID) else {
            throw .missingUser
        }
        // Through `aud`: the audience that was allowed, not merely the first one listed.
        let audience = clientIDs.isEmpty ? claims.audiences.first : claims.audiences.first(where: clientIDs.contains)
        return Principal(
            userID: userID, expiresAt: Date(timeIntervalSince1970: expiry), issuer: claims.strings["iss"],
            clientID: clientID ?? audience)
    }
}
