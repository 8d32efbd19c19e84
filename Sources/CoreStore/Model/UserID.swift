/// The identity provider's id of a user (the token's `sub`, or the configured claim).
///
/// The service stores nothing else about users. Accepted: 1–128 bytes, no control characters;
/// it is percent-encoded wherever it becomes part of an object key. Ids are equal and hashed by their
/// UTF-8 bytes, never by Unicode equivalence ("\u{212A}ate" is not "Kate"; ``ByteIdentity``).
public struct UserID: Hashable, Sendable, CustomStringConvertible {
    /// The id as the identity provider issued it.
    public let rawValue: String

    /// The longest accepted id in UTF-8 bytes.
    public static let maximumBytes = 128

    /// Validates a user id.
    /// - Parameter rawValue: The id from a token or a path.
    /// - Throws: `CoreStoreError(.forbidden)` when the id cannot be a valid user id.
    public init(validating rawValue: String) throws(CoreStoreError) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= Self.maximumBytes,
            rawValue.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else { throw CoreStoreError(.forbidden) }
        self.rawValue = rawValue
    }

    /// The id.
    public var description: String { rawValue }

    /// Byte equality (``ByteIdentity``), as the metadata store and object keys compare.
    public static func == (lhs: UserID, rhs: UserID) -> Bool { ByteIdentity.equal(lhs.rawValue, rhs.rawValue) }

    /// Hashes the UTF-8 bytes.
    public func hash(into hasher: inout Hasher) { ByteIdentity.hash(rawValue, into: &hasher) }
}
