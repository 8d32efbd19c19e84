import CoreStore
import Foundation
import NodeHTTP
import Testing

/// The path-uid check compares the token's user and the path's uid byte for byte.
@Suite("authorization compares uids by bytes")
struct RequestAuthorizerBytesTests {
    func principal(_ user: String) throws -> Principal {
        Principal(userID: try UserID(validating: user), expiresAt: Date(timeIntervalSinceNow: 60))
    }

    @Test func aKelvinSignTokenDoesNotOwnKatesPath() throws {
        #expect(throws: CoreStoreError(.forbidden)) {
            try RequestAuthorizer.requireOwner(principal("\u{212A}ate"), of: "Kate")
        }
        #expect(throws: CoreStoreError(.forbidden)) {
            try RequestAuthorizer.requireOwner(principal("Kate"), of: "\u{212A}ate")
        }
        try RequestAuthorizer.requireOwner(principal("Kate"), of: "Kate")
        try RequestAuthorizer.requireOwner(principal("\u{212A}ate"), of: "\u{212A}ate")
    }

    @Test func composedAndDecomposedUidsAreDifferentUsers() throws {
        #expect(throws: CoreStoreError(.forbidden)) {
            try RequestAuthorizer.requireOwner(principal("jos\u{E9}"), of: "jose\u{301}")
        }
        try RequestAuthorizer.requireOwner(principal("jose\u{301}"), of: "jose\u{301}")
    }
}
