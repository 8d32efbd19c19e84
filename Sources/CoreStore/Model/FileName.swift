/// A user's name for a file, validated: 1–255 bytes of UTF-8, no `/`, NUL or control characters,
/// not `.` or `..`. The name is only ever metadata; it never becomes part of a path or object key.
/// Names are equal and hashed by their UTF-8 bytes: "caf\u{E9}.txt" and "cafe\u{301}.txt" are two
/// files (``ByteIdentity``).
public struct FileName: Hashable, Sendable, CustomStringConvertible {
    /// The validated name.
    public let rawValue: String

    /// The longest accepted name in UTF-8 bytes.
    public static let maximumBytes = 255

    /// Validates a name.
    /// - Parameter rawValue: The name as the client sent it (already percent-decoded).
    /// - Throws: `CoreStoreError(.invalidFileName)` when the name breaks a rule.
    public init(validating rawValue: String) throws(CoreStoreError) {
        let bytes = rawValue.utf8
        guard !bytes.isEmpty, bytes.count <= Self.maximumBytes, !bytes.elementsEqual([0x2E]),
            !bytes.elementsEqual([0x2E, 0x2E])
        else {
            throw CoreStoreError(.invalidFileName)
        }
        for scalar in rawValue.unicodeScalars {
            let value = scalar.value
            if value == 0x2F || value == 0x5C || value < 0x20 || value == 0x7F || (value >= 0x80 && value < 0xA0) {
                throw CoreStoreError(.invalidFileName)
            }
        }
        self.rawValue = rawValue
    }

    /// The name.
    public var description: String { rawValue }

    /// Byte equality (``ByteIdentity``), as the metadata store compares.
    public static func == (lhs: FileName, rhs: FileName) -> Bool { ByteIdentity.equal(lhs.rawValue, rhs.rawValue) }

    /// Hashes the UTF-8 bytes.
    public func hash(into hasher: inout Hasher) { ByteIdentity.hash(rawValue, into: &hasher) }
}
