import Foundation

/// The user id a bearer token names, read from its payload **without verifying it**.
///
/// Paths carry the user id (`/{fname}/{uid}`), and the nodes take it from the token's `sub` claim by
/// default (`auth.userClaim`). The client only reads the claim to build URLs; the node verifies the
/// token. Deployments with another user claim pass the id explicitly (`--user`).
public enum TokenUser {
    /// The string value of `claim` in the JWT's payload, or `nil` when the token is not a readable JWT.
    /// - Parameters:
    ///   - token: The compact JWT (`header.payload.signature`).
    ///   - claim: The claim naming the user (`sub`).
    public static func user(in token: String, claim: String = "sub") -> String? {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3 else { return nil }
        var base64 = segments[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let payload = Data(base64Encoded: base64),
            let claims = (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any],
            let user = claims[claim] as? String, !user.isEmpty
        else { return nil }
        return user
    }
}
