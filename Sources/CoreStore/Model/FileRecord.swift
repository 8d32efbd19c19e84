public import Foundation

/// One row of the `files` table: a live (or deleted) version of a user's file.
public struct FileRecord: Sendable, Equatable, Codable {
    /// The stored version's id (also the last component of the object key).
    public var fileID: FileID
    /// The owner.
    public var userID: UserID
    /// The user's name for the file (unique per user among live rows).
    public var fileName: FileName
    /// Where the bytes are in the object store.
    public var objectKey: ObjectKey
    /// Size in bytes.
    public var size: Int64
    /// MD5 of the bytes.
    public var md5: ContentDigest
    /// The content type the client sent (or `application/octet-stream`).
    public var contentType: String
    /// When the upload was committed.
    public var createdAt: Date
    /// When the file was last downloaded (recorded in batches; may lag).
    public var lastAccessedAt: Date?

    /// Creates a record.
    public init(
        fileID: FileID, userID: UserID, fileName: FileName, objectKey: ObjectKey, size: Int64,
        md5: ContentDigest, contentType: String, createdAt: Date, lastAccessedAt: Date? = nil
    ) {
        self.fileID = fileID
        self.userID = userID
        self.fileName = fileName
        self.objectKey = objectKey
        self.size = size
        self.md5 = md5
        self.contentType = contentType
        self.createdAt = createdAt
        self.lastAccessedAt = lastAccessedAt
    }
}

/// One page of a user's files, newest first.
public struct FilePage: Sendable, Equatable {
    /// The files on this page.
    public var files: [FileRecord]
    /// An opaque cursor for the next page; `nil` on the last page.
    public var nextCursor: String?

    /// Creates a page.
    public init(files: [FileRecord], nextCursor: String?) {
        self.files = files
        self.nextCursor = nextCursor
    }

    /// The page of up to `pageSize` records out of `rows`, a query's answer for `pageSize + 1`:
    /// a row beyond the page means there is a next page, which starts after the page's last file.
    init(rows: [FileRecord], pageSize: Int) {
        guard rows.count > pageSize else {
            self.init(files: rows, nextCursor: nil)
            return
        }
        let files = Array(rows.prefix(pageSize))
        self.init(files: files, nextCursor: files.last.map { FileListCursor.encode(after: $0.fileID) })
    }
}

// Codable conformances for the value types (used by the Redis metadata cache).
extension FileID: Codable {
    /// Decodes from the hex string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = FileID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad file id"))
        }
        self = id
    }
    /// Encodes as the hex string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension UserID: Codable {
    /// Decodes from the string.
    public init(from decoder: any Decoder) throws {
        self = try UserID(validating: try decoder.singleValueContainer().decode(String.self))
    }
    /// Encodes as the string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension FileName: Codable {
    /// Decodes from the string.
    public init(from decoder: any Decoder) throws {
        self = try FileName(validating: try decoder.singleValueContainer().decode(String.self))
    }
    /// Encodes as the string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension ContentDigest: Codable {
    /// Decodes from hex.
    public init(from decoder: any Decoder) throws {
        self = try ContentDigest(parsing: try decoder.singleValueContainer().decode(String.self))
    }
    /// Encodes as hex.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension ObjectKey: Codable {
    /// Decodes from the key string.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }
    /// Encodes as the key string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension FileRecord {
    /// The current time at whole milliseconds since 1970: the precision the metadata stores keep,
    /// so an upload's answer, a retry's answer and the listing print the same `created_at`.
    public static func commitTime(_ now: Date = Date()) -> Date {
        Date(timeIntervalSince1970: Double(Int64((now.timeIntervalSince1970 * 1000).rounded(.down))) / 1000)
    }
}
