/// A file as the upload node recorded it (the answer of an upload).
public struct StoredFile: Sendable, Codable, Equatable {
    /// The file name.
    public var name: String
    /// The file's id (`nil` after a resumable upload, whose final answer carries no record).
    public var fileID: String?
    /// Size in bytes.
    public var size: Int64
    /// MD5, 32 lowercase hex digits.
    public var md5: String
    /// Commit time, RFC 3339 (`nil` after a resumable upload).
    public var createdAt: String?

    enum CodingKeys: String, CodingKey {
        case name, size, md5
        case fileID = "file_id"
        case createdAt = "created_at"
    }
}

/// One entry of the listing.
public struct RemoteFile: Sendable, Codable, Equatable {
    /// The file name.
    public var name: String
    /// Size in bytes.
    public var size: Int64
    /// MD5, 32 lowercase hex digits.
    public var md5: String
    /// The stored content type.
    public var contentType: String
    /// Commit time, RFC 3339.
    public var createdAt: String
    /// Last download (recorded in batches), RFC 3339, or `nil` before the first.
    public var lastAccessedAt: String?

    enum CodingKeys: String, CodingKey {
        case name, size, md5
        case contentType = "content_type"
        case createdAt = "created_at"
        case lastAccessedAt = "last_accessed_at"
    }
}

/// One page of the listing.
public struct FilePage: Sendable, Codable, Equatable {
    /// The files, newest first.
    public var files: [RemoteFile]
    /// The cursor of the next page, `nil` on the last.
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case files
        case nextCursor = "next_cursor"
    }
}

/// A download link made by the download node (`POST …/{fname}/{uid}/link`).
public struct DownloadLink: Sendable, Codable, Equatable {
    /// The absolute URL anyone holding it can download from, until it expires.
    public var url: String
    /// The URL's path and query.
    public var path: String
    /// Expiry, RFC 3339.
    public var expiresAt: String
    /// Seconds the link is valid for.
    public var expiresIn: Int
    /// The id of the file version the link serves.
    public var fileID: String
    /// The file's MD5.
    public var md5: String
    /// The file's size.
    public var size: Int64

    enum CodingKeys: String, CodingKey {
        case url, path, md5, size
        case expiresAt = "expires_at"
        case expiresIn = "expires_in"
        case fileID = "file_id"
    }
}

/// What a finished download did.
public struct DownloadResult: Sendable, Equatable {
    /// The file name.
    public var name: String
    /// Where the file now is.
    public var path: String
    /// Size in bytes.
    public var size: Int64
    /// The verified MD5 (hex).
    public var md5: String
    /// Bytes fetched by this call (less than `size` when a partial file was resumed).
    public var transferredBytes: Int64
    /// Whether a partial file from an earlier attempt was continued.
    public var resumed: Bool
}

/// How far a transfer is; handed to the progress callback after every chunk.
public struct TransferProgress: Sendable, Equatable {
    /// The file name.
    public var name: String
    /// Bytes of the file that are done (for a resumed download, the earlier part included).
    public var completedBytes: Int64
    /// The file's size, when known.
    public var totalBytes: Int64?
    /// Bytes moved over the network by this call so far.
    public var transferredBytes: Int64
}

/// The progress callback: called on the transfer's task after each chunk; keep it quick.
public typealias ProgressHandler = @Sendable (TransferProgress) -> Void
