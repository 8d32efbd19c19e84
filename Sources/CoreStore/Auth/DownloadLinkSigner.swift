internal import Crypto
import Foundation

/// Signs and verifies browser download links: `GET …/<fname>/<uid>?fid=…&expires=…&kid=…&sig=…`
/// (docs/decisions/0023).
///
/// The signature is HMAC-SHA256 over ``message(keyID:userID:fileName:fileID:expires:)``: a domain
/// tag and every field length-prefixed, so no two different (key, user, name, version, expiry)
/// tuples share a message, whatever bytes the user id and name hold. Identities enter as their
/// UTF-8 bytes, never normalized (``ByteIdentity``). The first key signs; every key verifies, so a
/// key can be rotated in without breaking the links already handed out.
public struct DownloadLinkSigner: Sendable {
    /// The domain tag at the start of every signed message (a new format gets a new tag).
    static let domainTag = "uds-download-link-v1"

    private let keys: [DownloadLinkKey]

    /// Creates a signer.
    /// - Parameter keys: The keys; the first signs, all verify.
    /// - Throws: `CoreStoreError(.internalError)` when `keys` is empty or names a key id twice.
    public init(keys: [DownloadLinkKey]) throws(CoreStoreError) {
        guard !keys.isEmpty else { throw CoreStoreError(.internalError, "no download-link key") }
        for (index, key) in keys.enumerated() where keys[..<index].contains(where: { $0.id == key.id }) {
            throw CoreStoreError(.internalError, "download-link key id \(key.id) is listed twice")
        }
        self.keys = keys
    }

    /// The id of the key that signs new links.
    public var signingKeyID: String { keys[0].id }

    /// The ids of every key that verifies, signing key first.
    public var keyIDs: [String] { keys.map(\.id) }

    /// Signs a link to one version of a file.
    /// - Parameters:
    ///   - userID: The owner (the path's `{uid}`).
    ///   - fileName: The name (the path's `{fname}`).
    ///   - fileID: The version the link is bound to.
    ///   - expires: Unix seconds from which the link is refused.
    /// - Returns: The link's query parameters.
    public func sign(userID: UserID, fileName: FileName, fileID: FileID, expires: Int64) -> DownloadLinkParameters {
        let key = keys[0]
        let mac = HMAC<SHA256>.authenticationCode(
            for: Self.message(keyID: key.id, userID: userID, fileName: fileName, fileID: fileID, expires: expires),
            using: key.key)
        return DownloadLinkParameters(fileID: fileID, expires: expires, keyID: key.id, signature: Array(mac))
    }

    /// Verifies a link's parameters for the path's user and name.
    /// - Parameters:
    ///   - link: The parsed query parameters.
    ///   - userID: The path's `{uid}`.
    ///   - fileName: The path's `{fname}`.
    ///   - now: Unix seconds now.
    ///   - maximumLifetime: The longest lifetime a link may be issued for, in seconds; a link whose
    ///     expiry lies further ahead than this (plus 60 s of clock skew between nodes) is refused,
    ///     so lowering the maximum also shortens links already handed out.
    /// - Throws: ``DownloadLinkFailure/unknownKeyID``, ``DownloadLinkFailure/badSignature``,
    ///   ``DownloadLinkFailure/expired``, ``DownloadLinkFailure/lifetimeTooLong``.
    public func verify(
        _ link: DownloadLinkParameters, userID: UserID, fileName: FileName, now: Int64, maximumLifetime: Int64
    ) throws(DownloadLinkFailure) {
        guard let key = keys.first(where: { ByteIdentity.equal($0.id, link.keyID) }) else { throw .unknownKeyID }
        let message = Self.message(
            keyID: key.id, userID: userID, fileName: fileName, fileID: link.fileID, expires: link.expires)
        // Constant time: swift-crypto compares the whole code whatever the first differing byte.
        guard HMAC<SHA256>.isValidAuthenticationCode(link.signature, authenticating: message, using: key.key) else {
            throw .badSignature
        }
        guard now < link.expires else { throw .expired }
        guard link.expires - now <= maximumLifetime + Self.clockSkewSeconds else { throw .lifetimeTooLong }
    }

    /// Seconds one node's clock may run ahead of another's (the same leeway tokens get).
    static let clockSkewSeconds: Int64 = 60

    /// The signed bytes: the domain tag, the key id, the user id's and the name's UTF-8 bytes and
    /// the file id, each as a 4-byte big-endian length and the bytes, then the expiry as 8 bytes
    /// big-endian.
    static func message(keyID: String, userID: UserID, fileName: FileName, fileID: FileID, expires: Int64) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(64 + userID.rawValue.utf8.count + fileName.rawValue.utf8.count)
        for field in [domainTag, keyID, userID.rawValue, fileName.rawValue, fileID.rawValue] {
            let count = UInt32(field.utf8.count)
            message += [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
            message += field.utf8
        }
        let bits = UInt64(bitPattern: expires)
        message += (0..<8).reversed().map { UInt8(bits >> (UInt64($0) * 8) & 0xFF) }
        return message
    }
}

/// One download-link key: its id (the `kid` of the links it signs) and its secret.
public struct DownloadLinkKey: Sendable {
    /// The shortest secret accepted, in bytes (the SHA-256 output size).
    public static let minimumSecretBytes = 32
    /// The longest key id, in bytes.
    public static let maximumIDBytes = 64

    /// The key id: 1–64 of `A–Z a–z 0–9 . _ -` (URL-safe as it is).
    public let id: String
    let key: SymmetricKey

    /// Creates a key.
    /// - Parameters:
    ///   - id: The key id.
    ///   - secret: The secret, at least ``minimumSecretBytes`` bytes.
    /// - Throws: `CoreStoreError(.internalError)` naming what is wrong (never the secret).
    public init(id: String, secret: [UInt8]) throws(CoreStoreError) {
        guard Self.isValidID(id) else {
            throw CoreStoreError(.internalError, "a key id must be 1 to 64 of A-Z a-z 0-9 . _ -")
        }
        guard secret.count >= Self.minimumSecretBytes else {
            throw CoreStoreError(.internalError, "the secret of key \(id) is shorter than 32 bytes")
        }
        self.id = id
        self.key = SymmetricKey(data: secret)
    }

    /// Whether `id` can be a key id.
    public static func isValidID(_ id: some StringProtocol) -> Bool {
        (1...maximumIDBytes).contains(id.utf8.count)
            && id.utf8.allSatisfy { DownloadLinkParameters.isURLSafe($0) || $0 == UInt8(ascii: ".") }
    }

    /// The key of a generated secret: its id is `local-` and 8 hex digits of SHA-256 over a tag and
    /// the secret, so nodes sharing the secret file agree on it and a node with another secret
    /// refuses the link as an unknown key rather than a bad signature.
    /// - Parameter secret: The generated secret.
    /// - Throws: `CoreStoreError(.internalError)` when the secret is too short.
    public static func generated(secret: [UInt8]) throws(CoreStoreError) -> DownloadLinkKey {
        let digest = Array(SHA256.hash(data: Array("uds-download-link-kid".utf8) + secret))
        let hex = digest.prefix(4).map { String($0 >> 4, radix: 16) + String($0 & 0xF, radix: 16) }.joined()
        return try DownloadLinkKey(id: "local-" + hex, secret: secret)
    }
}

/// Why a link was refused. Logged and counted, never shown: a client only ever sees
/// `403 INVALID_CREDENTIALS`.
public enum DownloadLinkFailure: String, Error, Sendable {
    /// A parameter is missing, repeated or not in its form.
    case malformed
    /// No configured key has the link's `kid`.
    case unknownKeyID = "unknown_key_id"
    /// The signature does not verify with the key.
    case badSignature = "bad_signature"
    /// The expiry has passed.
    case expired
    /// The expiry lies further ahead than the longest lifetime a link may be issued for.
    case lifetimeTooLong = "lifetime_too_long"
}
