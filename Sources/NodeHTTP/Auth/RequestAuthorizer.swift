public import CoreStore
import Foundation
import HTTPTypes
public import Hummingbird
import Logging

/// Authenticates requests from their `Authorization: Bearer` header and authorizes the path's
/// `<uid>` against the token's user. Decided from the headers alone, before any body byte.
public struct RequestAuthorizer: Sendable {
    let verifier: any TokenVerifier
    let limiter: (any UserRateLimiting)?

    /// Creates an authorizer.
    /// - Parameters:
    ///   - verifier: The token verifier (HS256 or JWKS).
    ///   - limiter: The per-user request rate limit, if any.
    public init(verifier: any TokenVerifier, limiter: (any UserRateLimiting)? = nil) {
        self.verifier = verifier
        self.limiter = limiter
    }

    /// The caller, admitted by the per-user rate limit (a refusal is logged with the user: the
    /// audit line of a request that never reaches a route).
    /// - Throws: `.invalidCredentials` for a missing, malformed, expired or wrongly signed token;
    ///   `.rateLimited` when the user is over its request rate.
    public func principal(of request: Request, context: NodeRequestContext) async throws -> Principal {
        let principal: Principal
        do {
            principal = try await verifier.verify(authorizationHeader: request.headers[.authorization])
        } catch {
            throw CoreStoreError(.invalidCredentials)
        }
        try await admit(principal.userID, context: context)
        return principal
    }

    /// Takes a token from `userID`'s request bucket (a refusal is logged with the user). Signed
    /// download links spend their owner's bucket through this.
    /// - Throws: `.rateLimited` when the user is over its request rate.
    public func admit(_ userID: UserID, context: NodeRequestContext) async throws {
        do {
            try await limiter?.admit(userID)
        } catch {
            context.logger.notice("request refused", metadata: ["user.id": "\(userID)", "error": "RATE_LIMITED"])
            throw error
        }
    }

    /// The caller, checked to own the path's `{uid}`, and the path's validated `{fname}`.
    /// - Throws: `.invalidCredentials`, `.forbidden` (another user's uid), `.invalidFileName`.
    public func owner(of request: Request, context: NodeRequestContext) async throws -> (UserID, FileName) {
        let principal = try await principal(of: request, context: context)
        try Self.requireOwner(principal, of: PathParameter.decoded("uid", in: context, invalid: .forbidden))
        let name = try PathParameter.decoded("fname", in: context, invalid: .invalidFileName)
        return (principal.userID, try FileName(validating: name))
    }

    /// The caller, checked to be the path's `{uid}`.
    /// - Throws: `.invalidCredentials`, `.forbidden`.
    public func user(of request: Request, context: NodeRequestContext) async throws -> UserID {
        let principal = try await principal(of: request, context: context)
        try Self.requireOwner(principal, of: PathParameter.decoded("uid", in: context, invalid: .forbidden))
        return principal.userID
    }

    /// Checks that the token's user is the path's uid, byte for byte (``ByteIdentity``): a token for
    /// "\u{212A}ate" (KELVIN SIGN) is not Kate's, though Swift's `String` calls the two equal.
    /// - Throws: `.forbidden`.
    public static func requireOwner(_ principal: Principal, of pathUID: String) throws(CoreStoreError) {
        guard ByteIdentity.equal(pathUID, principal.userID.rawValue) else { throw CoreStoreError(.forbidden) }
    }
}

/// Percent-decoded route parameters (Hummingbird hands them over as sent).
public enum PathParameter {
    /// The decoded value of `{name}`.
    /// - Throws: `invalid` when missing or not valid percent-encoded UTF-8.
    public static func decoded(
        _ name: String, in context: NodeRequestContext, invalid: CoreStoreError.Code
    ) throws -> String {
        guard let raw = context.parameters.get(name), let value = raw.removingPercentEncoding else {
            throw CoreStoreError(invalid)
        }
        return value
    }
}
