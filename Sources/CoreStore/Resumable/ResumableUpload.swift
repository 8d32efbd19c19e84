public import Foundation

/// The durable state of one resumable (tus) upload, kept in the metadata store so that any upload
/// node can take the next request (docs/decisions/0022-resumable-upload-state.md).
///
/// The bytes `0..<durableOffset` are parts of the object store's multipart upload (`parts`);
/// `durableOffset..<offset` (less than one part) are the temporary object `tailKey`. `md5` is the
/// MD5 state at `durableOffset` (a multiple of the part size, so of 64).
public struct ResumableUpload: Sendable, Equatable, Codable {
    /// The upload's id (32 hex digits, random).
    public var id: String
    /// The owner's id.
    public var userID: String
    /// The file name the upload commits to.
    public var fileName: String
    /// `Upload-Length`: the file's size.
    public var length: Int64
    /// The whole file's MD5 the client announced (hex).
    public var expectedMD5: String
    /// The content type the file is stored with.
    public var contentType: String
    /// The file id the committed file gets.
    public var fileID: String
    /// The object key the file is assembled under.
    public var objectKey: String
    /// Part size (fixed at creation, so a configuration change does not break the upload).
    public var partBytes: Int64
    /// When it was created.
    public var createdAt: Date
    /// When it expires (creation + the configured expiry; not extended by activity).
    public var expiresAt: Date
    /// Bytes received and stored: `durableOffset` + the tail.
    public var offset: Int64
    /// Bytes in completed parts.
    public var durableOffset: Int64
    /// The object store's multipart upload id, once the first part went up.
    public var multipartID: String?
    /// Completed parts, ascending.
    public var parts: [CompletedPart]
    /// MD5 state at `durableOffset`.
    public var md5: MD5Checkpoint
    /// The temporary object holding the bytes past the last part, if any.
    public var tailKey: String?

    /// Creates the state of a new upload (offset 0).
    /// - Parameters:
    ///   - id: The upload id.
    ///   - userID: The owner.
    ///   - fileName: The file name.
    ///   - length: The file's size.
    ///   - expectedMD5: The announced MD5.
    ///   - contentType: The content type.
    ///   - fileID: The future file id.
    ///   - objectKey: The future object key.
    ///   - partBytes: The part size.
    ///   - createdAt: Creation time.
    ///   - expiresAt: Expiry.
    public init(
        id: String, userID: UserID, fileName: FileName, length: Int64, expectedMD5: ContentDigest, contentType: String,
        fileID: FileID, objectKey: ObjectKey, partBytes: Int64, createdAt: Date, expiresAt: Date
    ) {
        self.id = id
        self.userID = userID.rawValue
        self.fileName = fileName.rawValue
        self.length = length
        self.expectedMD5 = expectedMD5.hex
        self.contentType = contentType
        self.fileID = fileID.rawValue
        self.objectKey = objectKey.rawValue
        self.partBytes = partBytes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.offset = 0
        self.durableOffset = 0
        self.multipartID = nil
        self.parts = []
        self.md5 = .initial
        self.tailKey = nil
    }

    /// Bytes past the last part (in the tail object).
    public var tailLength: Int64 { offset - durableOffset }

    /// What the object keys of resumable uploads end with (so the stale-multipart sweep can give
    /// their multipart uploads the upload's lifetime).
    public static let keySuffix = ".tus"

    /// A new random upload id.
    public static func newID() -> String {
        (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 16).leftPadded(to: 16) }.joined()
    }

    /// Whether `text` has the shape of an upload id (so it is never used unchecked in a query or key).
    public static func isValidID(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The JSON form stored in the metadata row.
    /// - Throws: `.internalError`.
    public func encoded() throws(CoreStoreError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
        } catch {
            throw CoreStoreError(.internalError)
        }
    }

    /// Reads the JSON form.
    /// - Throws: `.internalError` for a corrupt row.
    public static func decoded(_ text: String) throws(CoreStoreError) -> ResumableUpload {
        do {
            return try JSONDecoder().decode(ResumableUpload.self, from: Data(text.utf8))
        } catch {
            throw CoreStoreError(.internalError)
        }
    }
}
