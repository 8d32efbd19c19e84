import Foundation
import Synchronization

@testable import CoreStore

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }

    /// The closure verifiers take.
    var function: @Sendable () -> Date { { self.now } }
}

/// Builds compact JWS tokens by hand, so tests control every header and claim byte.
enum TestJWT {
    /// `base64url(header).base64url(claims)`.
    static func signingInput(header: [String: Any], claims: [String: Any]) -> String {
        encode(json(header)) + "." + encode(json(claims))
    }

    /// A complete token whose signature is `sign(signingInput)`.
    static func make(header: [String: Any], claims: [String: Any], sign: (Data) throws -> Data) rethrows -> String {
        let input = signingInput(header: header, claims: claims)
        return try input + "." + encode(sign(Data(input.utf8)))
    }

    static func encode(_ data: Data) -> String {
        Base64URL.encode(Array(data))
    }

    static func json(_ object: [String: Any]) -> Data {
        // Test inputs are plain dictionaries of strings and numbers; serialization cannot fail.
        try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// Splits a token into its three parts.
    static func parts(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}
