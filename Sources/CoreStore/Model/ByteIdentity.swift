/// Identity comparison by UTF-8 bytes (docs/api.md "Identities are bytes").
///
/// Swift's `String` equality and hashing follow Unicode canonical equivalence: "\u{212A}ate"
/// (KELVIN SIGN) equals "Kate" and "caf\u{E9}" equals "cafe\u{301}". SQLite, PostgreSQL, object
/// keys and Redis keys compare bytes, so every user id, file name and claim that decides *who*
/// or *which file* is compared and hashed here by its bytes, never normalized.
public enum ByteIdentity {
    /// Whether two strings have exactly the same UTF-8 bytes.
    /// - Parameters:
    ///   - lhs: One string.
    ///   - rhs: The other.
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs.utf8.elementsEqual(rhs.utf8)
    }

    /// Feeds a string's UTF-8 bytes (and their count, so concatenations stay distinct) to `hasher`.
    /// - Parameters:
    ///   - text: The string.
    ///   - hasher: The hasher.
    public static func hash(_ text: String, into hasher: inout Hasher) {
        hasher.combine(text.utf8.count)
        for byte in text.utf8 { hasher.combine(byte) }
    }
}

/// A `String` that is equal, hashed and used as a dictionary or set key by its UTF-8 bytes.
public struct ByteExactString: Hashable, Sendable, CustomStringConvertible {
    /// The text.
    public let value: String

    /// Wraps `value`.
    /// - Parameter value: The text.
    public init(_ value: String) {
        self.value = value
    }

    /// Byte equality.
    public static func == (lhs: Self, rhs: Self) -> Bool { ByteIdentity.equal(lhs.value, rhs.value) }

    /// Hashes the UTF-8 bytes.
    public func hash(into hasher: inout Hasher) { ByteIdentity.hash(value, into: &hasher) }

    /// The text.
    public var description: String { value }
}
