/// The object store key of one stored version: `<prefix>/<hash>/<user_id>/<file_id>`.
///
/// `<hash>` is four hex digits of XXH3(user_id), spreading keys across S3's per-prefix request
/// limits; `<user_id>` is percent-encoded (RFC 3986 unreserved characters stay, except that the ids
/// `.` and `..` become `%2E` and `%2E%2E`). The user's file name never appears in a key.
public struct ObjectKey: Hashable, Sendable, CustomStringConvertible {
    /// The full key, safe to use as an S3 key or a relative file path.
    public let rawValue: String

    /// Wraps an existing key (as read back from metadata or a listing).
    /// - Parameter rawValue: The key.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Builds the key of a new version.
    /// - Parameters:
    ///   - prefix: The service's key prefix (e.g. `files`).
    ///   - userID: The owner.
    ///   - fileID: The version's id.
    public init(prefix: String, userID: UserID, fileID: FileID) {
        let hash = XXH3.hash64(Array(userID.rawValue.utf8)) >> 48
        let shard = String(hash, radix: 16).leftPadded(to: 4)
        let user = Self.encodedUser(userID)
        let head = prefix.isEmpty ? "" : prefix + "/"
        self.rawValue = "\(head)\(shard)/\(user)/\(fileID.rawValue)"
    }

    /// The key's `<user_id>` segment: the id percent-encoded, and `.`/`..` (unreserved, so kept by
    /// the encoding) written `%2E`/`%2E%2E`, because a dot segment is no usable file path or S3 key
    /// (nor URL path segment: the tus upload URLs use it too).
    public static func encodedUser(_ userID: UserID) -> String {
        let encoded = PercentEncoding.encodeUnreserved(userID.rawValue)
        switch encoded {
        case ".": return "%2E"
        case "..": return "%2E%2E"
        default: return encoded
        }
    }

    /// The key.
    public var description: String { rawValue }

    /// Byte equality (``ByteIdentity``), as object stores compare keys.
    public static func == (lhs: ObjectKey, rhs: ObjectKey) -> Bool { ByteIdentity.equal(lhs.rawValue, rhs.rawValue) }

    /// Hashes the UTF-8 bytes.
    public func hash(into hasher: inout Hasher) { ByteIdentity.hash(rawValue, into: &hasher) }
}

/// RFC 3986 percent-encoding helpers shared by object keys, S3 requests and HTTP headers.
public enum PercentEncoding {
    /// Percent-encodes every byte except the unreserved set `A–Z a–z 0–9 - _ . ~`.
    /// - Parameter text: The text to encode.
    /// - Returns: The encoded text (uppercase hex escapes).
    public static func encodeUnreserved(_ text: String, keeping extra: Set<UInt8> = []) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F, 0x2E, 0x7E:
                out.append(byte)
            default:
                if extra.contains(byte) {
                    out.append(byte)
                } else {
                    out.append(0x25)
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0x0F)])
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
