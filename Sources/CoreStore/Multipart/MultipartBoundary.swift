/// The boundary of a `multipart/form-data` body, validated per RFC 2046 §5.1.1: 1–70 characters from
/// `bchars` (digits, letters, `'()+_,-./:=?` and space), not ending in a space.
public struct MultipartBoundary: Sendable, Hashable, CustomStringConvertible {
    /// The boundary text, without the leading `--`.
    public let value: String

    /// The longest boundary RFC 2046 allows.
    public static let maximumLength = 70

    /// Validates a bare boundary string.
    /// - Throws: `CoreStoreError(.malformedMultipart)` when it is empty, longer than 70 characters,
    ///   contains a character outside `bchars`, or ends in a space.
    public init(validating value: String) throws(CoreStoreError) {
        let bytes = Array(value.utf8)
        guard (1...Self.maximumLength).contains(bytes.count) else {
            throw CoreStoreError(.malformedMultipart, "multipart boundary must be 1 to 70 characters")
        }
        guard bytes.allSatisfy(Self.isBoundaryCharacter), bytes.last != UInt8(ascii: " ") else {
            throw CoreStoreError(.malformedMultipart, "multipart boundary contains an invalid character")
        }
        self.value = value
    }

    /// Extracts the boundary from a `Content-Type` header value such as
    /// `multipart/form-data; boundary="----abc"` (media type and parameter names are case-insensitive;
    /// the boundary may be quoted or not).
    /// - Throws: `CoreStoreError(.malformedMultipart)` when the media type is not `multipart/form-data`,
    ///   the `boundary` parameter is missing, or the boundary is invalid.
    public init(contentType: String) throws(CoreStoreError) {
        let header = try HeaderParameters(parsing: contentType)
        guard header.value.lowercased() == "multipart/form-data" else {
            throw CoreStoreError(.malformedMultipart, "Content-Type must be multipart/form-data")
        }
        guard let boundary = header["boundary"] else {
            throw CoreStoreError(.malformedMultipart, "multipart/form-data without a boundary")
        }
        try self.init(validating: boundary)
    }

    /// The boundary text.
    public var description: String { value }

    /// The delimiter that precedes every part: `CRLF "--" boundary`.
    var delimiter: [UInt8] { Array("\r\n--".utf8) + Array(value.utf8) }

    private static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        case UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"), UInt8(ascii: "_"),
            UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"),
            UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: " "):
            true
        default:
            false
        }
    }
}
