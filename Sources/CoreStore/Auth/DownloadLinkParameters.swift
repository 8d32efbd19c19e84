/// The query parameters of a signed download link (`fid`, `expires`, `kid`, `sig`), parsed but not
/// yet verified (``DownloadLinkSigner/verify(_:userID:fileName:now:maximumLifetime:)``).
public struct DownloadLinkParameters: Sendable, Equatable {
    /// The query parameter names, in the order the query lists them.
    public static let names = ["fid", "expires", "kid", "sig"]

    /// The version the link is bound to (`fid`).
    public let fileID: FileID
    /// Unix seconds from which the link is refused (`expires`).
    public let expires: Int64
    /// The id of the key that signed it (`kid`).
    public let keyID: String
    /// The HMAC-SHA256 (`sig`, 43 characters of unpadded base64url).
    public let signature: [UInt8]

    init(fileID: FileID, expires: Int64, keyID: String, signature: [UInt8]) {
        self.fileID = fileID
        self.expires = expires
        self.keyID = keyID
        self.signature = signature
    }

    /// Parses the four values as they arrived (percent-decoded); each must be present.
    /// - Parameters:
    ///   - fileID: `fid`: 32 lowercase hex digits.
    ///   - expires: `expires`: a positive decimal integer without sign or leading zero (at most 18 digits).
    ///   - keyID: `kid`: a key id (``DownloadLinkKey/isValidID(_:)``).
    ///   - signature: `sig`: exactly the 43 characters base64url encodes 32 bytes as, unpadded.
    /// - Throws: ``DownloadLinkFailure/malformed``.
    public init(fileID: String?, expires: String?, keyID: String?, signature: String?) throws(DownloadLinkFailure) {
        guard let fileID, let expires, let keyID, let signature, let id = FileID(fileID),
            (1...18).contains(expires.utf8.count), expires.utf8.first != UInt8(ascii: "0"),
            expires.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let seconds = Int64(expires), DownloadLinkKey.isValidID(keyID),
            signature.utf8.count == 43, signature.utf8.allSatisfy(Self.isURLSafe),
            let mac = Base64URL.decode(signature.utf8), mac.count == 32,
            Base64URL.encode(mac) == signature  // one spelling per signature: unused low bits are zero
        else { throw .malformed }
        self.init(fileID: id, expires: seconds, keyID: keyID, signature: mac)
    }

    /// `fid=…&expires=…&kid=…&sig=…` (every value is URL-safe as it is).
    public var query: String {
        "fid=\(fileID.rawValue)&expires=\(expires)&kid=\(keyID)&sig=\(Base64URL.encode(signature))"
    }

    /// `A–Z a–z 0–9 - _`: the base64url alphabet.
    static func isURLSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
