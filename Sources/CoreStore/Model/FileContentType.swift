/// A validated `Content-Type` value (RFC 9110 §8.3.1), at most ``maximumBytes`` bytes:
/// `type "/" subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] )`.
///
/// Only ASCII is accepted (no obs-text): the value is stored with the file, listed, and sent back
/// as the download's `Content-Type` header. The value is kept as the client sent it.
public struct FileContentType: Sendable, Hashable, CustomStringConvertible {
    /// The value as sent.
    public let rawValue: String

    /// The longest accepted value in bytes.
    public static let maximumBytes = 255

    /// What a file without a (valid) content type is served as.
    public static let octetStream = "application/octet-stream"

    /// Validates a `Content-Type` value.
    /// - Parameter rawValue: The header (or multipart part header) value.
    /// - Throws: `CoreStoreError(.invalidContentType)` when it is longer than 255 bytes or not a media type.
    public init(validating rawValue: String) throws(CoreStoreError) {
        guard rawValue.utf8.count <= Self.maximumBytes, Self.isMediaType(Array(rawValue.utf8)) else {
            throw CoreStoreError(.invalidContentType)
        }
        self.rawValue = rawValue
    }

    /// A stored value as it may be served: itself when valid, else `application/octet-stream`
    /// (rows written before validation existed may hold anything).
    /// - Parameter stored: The stored content type.
    public static func servable(_ stored: String) -> String {
        (try? FileContentType(validating: stored))?.rawValue ?? octetStream
    }

    /// The value.
    public var description: String { rawValue }

    static func isMediaType(_ bytes: [UInt8]) -> Bool {
        var index = 0
        guard token(bytes, &index), index < bytes.count, bytes[index] == 0x2F else { return false }
        index += 1
        guard token(bytes, &index) else { return false }
        while true {
            skipWhitespace(bytes, &index)
            guard index < bytes.count else { return true }
            guard bytes[index] == 0x3B else { return false }  // ";"
            index += 1
            skipWhitespace(bytes, &index)
            guard index < bytes.count, bytes[index] != 0x3B else { continue }  // empty parameter
            guard token(bytes, &index), index < bytes.count, bytes[index] == 0x3D else { return false }  // "="
            index += 1
            guard index < bytes.count else { return false }
            if bytes[index] == 0x22 {
                guard quotedString(bytes, &index) else { return false }
            } else {
                guard token(bytes, &index) else { return false }
            }
        }
    }

    /// `1*tchar`; advances `index` past it.
    private static func token(_ bytes: [UInt8], _ index: inout Int) -> Bool {
        let start = index
        while index < bytes.count, isTokenCharacter(bytes[index]) { index += 1 }
        return index > start
    }

    /// `DQUOTE *( qdtext / quoted-pair ) DQUOTE` without obs-text; `index` is at the opening quote.
    private static func quotedString(_ bytes: [UInt8], _ index: inout Int) -> Bool {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x22:
                index += 1
                return true
            case 0x5C:  // quoted-pair: "\" ( HTAB / SP / VCHAR )
                guard index + 1 < bytes.count else { return false }
                let escaped = bytes[index + 1]
                guard escaped == 0x09 || (0x20...0x7E).contains(escaped) else { return false }
                index += 2
            case 0x09, 0x20, 0x21, 0x23...0x5B, 0x5D...0x7E:
                index += 1
            default:
                return false
            }
        }
        return false
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    /// RFC 9110 §5.6.2 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }
}
