import Foundation

/// An MD5 digest (16 bytes), as clients announce it and as the service stores it.
///
/// Clients may send 32 hex digits (the seed's `md5` form field) or 24 base64 characters
/// (RFC 1864 `Content-MD5`). The service stores and answers hex.
public struct ContentDigest: Hashable, Sendable, CustomStringConvertible {
    /// The 16 raw bytes.
    public let bytes: [UInt8]

    /// Wraps 16 raw bytes.
    /// - Parameter bytes: The raw digest; must be 16 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses 32 hex digits (any case) or 24 base64 characters.
    /// - Parameter text: The client's value, surrounding whitespace ignored.
    /// - Throws: `CoreStoreError(.invalidChecksum)` for anything else.
    public init(parsing text: String) throws(CoreStoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.utf8.count == 32, let bytes = Self.decodeHex(trimmed) {
            self.bytes = bytes
        } else if trimmed.utf8.count == 24, trimmed.hasSuffix("=="),
            let data = Data(base64Encoded: trimmed), data.count == 16
        {
            self.bytes = Array(data)
        } else {
            throw CoreStoreError(.invalidChecksum)
        }
    }

    /// Lowercase hex, 32 characters.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(32)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64, 24 characters (the `Content-MD5` form).
    public var base64: String { Data(bytes).base64EncodedString() }

    /// The hex form.
    public var description: String { hex }

    static func decodeHex(_ text: String) -> [UInt8]? {
        var result = [UInt8]()
        result.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for char in text.utf8 {
            let nibble: UInt8
            switch char {
            case 0x30...0x39: nibble = char - 0x30
            case 0x61...0x66: nibble = char - 0x61 + 10
            case 0x41...0x46: nibble = char - 0x41 + 10
            default: return nil
            }
            if let h = high {
                result.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? result : nil
    }
}
