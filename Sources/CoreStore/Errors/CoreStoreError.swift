/// The one error type every `CoreStore` component throws.
///
/// `code` is stable and machine-readable (it is the wire `code` of the JSON error body);
/// `message` is safe to show a client. Details that are not client-safe (C error strings,
/// S3 request ids) go to the log at the place the error is created, never into `message`.
public struct CoreStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes; the raw value is what clients see in `{"code": ...}`.
    public enum Code: String, Sendable, CaseIterable {
        /// Missing, malformed, expired or wrongly signed bearer token.
        case invalidCredentials = "INVALID_CREDENTIALS"
        /// Authenticated, but not allowed to touch this user's files.
        case forbidden = "FORBIDDEN"
        /// The request is malformed in a way no more specific code covers.
        case badRequest = "BAD_REQUEST"
        /// The `multipart/form-data` body could not be parsed.
        case malformedMultipart = "MALFORMED_MULTIPART"
        /// The multipart body has no `file` part.
        case missingFilePart = "MISSING_FILE_PART"
        /// The file name is empty, too long, or contains `/`, NUL, control characters, `.` or `..`.
        case invalidFileName = "INVALID_FILE_NAME"
        /// The `Content-Type` (header or multipart part) is not a media type or longer than 255 bytes.
        case invalidContentType = "INVALID_CONTENT_TYPE"
        /// The client's MD5 is neither 32 hex digits nor 24 base64 characters.
        case invalidChecksum = "INVALID_CHECKSUM"
        /// No MD5 was sent (neither a `md5` part nor a `Content-MD5` header).
        case missingChecksum = "MISSING_CHECKSUM"
        /// The body's MD5 is not the one the client announced.
        case checksumMismatch = "CHECKSUM_MISMATCH"
        /// The body is larger than the configured maximum.
        case payloadTooLarge = "PAYLOAD_TOO_LARGE"
        /// Storing the file would take its user past the per-user storage quota (bytes or files).
        case quotaExceeded = "QUOTA_EXCEEDED"
        /// The request's header section is larger than the node accepts.
        case headersTooLarge = "REQUEST_HEADER_FIELDS_TOO_LARGE"
        /// An `If-Match` / `If-None-Match` precondition does not hold for the file's current version.
        case preconditionFailed = "PRECONDITION_FAILED"
        /// The request uses an HTTP feature the node does not implement (a transfer coding other
        /// than `chunked`).
        case notImplemented = "NOT_IMPLEMENTED"
        /// No live file with this name belongs to this user.
        case fileNotFound = "FILE_NOT_FOUND"
        /// The object store has no object under this key.
        case objectNotFound = "OBJECT_NOT_FOUND"
        /// The requested byte range lies outside the file.
        case rangeNotSatisfiable = "RANGE_NOT_SATISFIABLE"
        /// The object store cannot be reached or keeps failing; retry later.
        case objectStoreUnavailable = "OBJECT_STORE_UNAVAILABLE"
        /// The object store refused the request (credentials, bucket, signature); not retryable.
        case objectStoreRejected = "OBJECT_STORE_REJECTED"
        /// The metadata database cannot be reached or is busy; retry later.
        case metadataUnavailable = "METADATA_UNAVAILABLE"
        /// The shared cache (Redis) cannot be reached. Never fatal to a request.
        case cacheUnavailable = "CACHE_UNAVAILABLE"
        /// Local spool or cache disk is below its free-space watermark.
        case insufficientStorage = "INSUFFICIENT_STORAGE"
        /// The node is draining and takes no new transfers.
        case shuttingDown = "SHUTTING_DOWN"
        /// No such route (unknown path or method).
        case routeNotFound = "NOT_FOUND"
        /// The caller runs more transfers at once than a node allows one user.
        case rateLimited = "RATE_LIMITED"
        /// An upload body arrived slower than the node's minimum rate.
        case requestTimeout = "REQUEST_TIMEOUT"
        /// The client closed the connection before its request was complete. The answer never
        /// reaches it; the status (499, nginx's "client closed request") is for logs and metrics,
        /// so a client's abort does not count as a server error.
        case clientClosedRequest = "CLIENT_CLOSED_REQUEST"
        /// No resumable upload with this id belongs to this user (never created, finished or terminated).
        case uploadNotFound = "UPLOAD_NOT_FOUND"
        /// The resumable upload passed its expiry and is being removed.
        case uploadExpired = "UPLOAD_EXPIRED"
        /// A resumable upload's `Upload-Offset` is not the upload's current offset (or another
        /// request advanced it first).
        case uploadOffsetMismatch = "UPLOAD_OFFSET_MISMATCH"
        /// A resumable upload's request contradicts the upload's length, fixed at creation (a
        /// different `Upload-Length`, or a body that cannot end where the upload ends).
        case uploadLengthMismatch = "UPLOAD_LENGTH_MISMATCH"
        /// A request's `Upload-Checksum` does not match its body; the body was discarded (tus 460).
        case uploadChecksumMismatch = "UPLOAD_CHECKSUM_MISMATCH"
        /// The request's `Tus-Resumable` version is missing or not one the node speaks.
        case unsupportedProtocolVersion = "UNSUPPORTED_PROTOCOL_VERSION"
        /// The request body's `Content-Type` is not the one the route takes.
        case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
        /// Anything unexpected; logged, never echoed.
        case internalError = "INTERNAL_ERROR"
    }

    /// The stable code.
    public var code: Code
    /// A client-safe, human-readable message.
    public var message: String

    /// Creates an error with a code and a client-safe message (defaults to the code's standard message).
    /// - Parameters:
    ///   - code: The stable code.
    ///   - message: A client-safe message; `nil` uses ``Code/defaultMessage``.
    public init(_ code: Code, _ message: String? = nil) {
        self.code = code
        self.message = message ?? code.defaultMessage
    }

    /// `CODE: message`, for logs.
    public var description: String { "\(code.rawValue): \(message)" }
}

extension CoreStoreError.Code {
    /// The standard client message; the seed's messages are kept word for word.
    public var defaultMessage: String {
        switch self {
        case .invalidCredentials: "client credentials invalid"
        case .forbidden: "client credentials invalid"
        case .badRequest: "bad request"
        case .malformedMultipart: "malformed multipart/form-data body"
        case .missingFilePart: "No file part"
        case .invalidFileName: "invalid file name"
        case .invalidContentType:
            "Content-Type must be a media type (type/subtype, optional ; name=value parameters) of at most 255 bytes"
        case .invalidChecksum: "md5 must be 32 hex digits or 24 base64 characters"
        case .missingChecksum: "md5 is required (form part md5 or header Content-MD5)"
        case .checksumMismatch: "checksum failed - please attempt reuploading"
        case .payloadTooLarge: "Document file size is too large"
        case .quotaExceeded: "storage quota exceeded"
        case .headersTooLarge: "request header fields too large"
        case .preconditionFailed: "precondition failed"
        case .notImplemented: "not implemented"
        case .fileNotFound: "file not found"
        case .objectNotFound: "object not found"
        case .rangeNotSatisfiable: "requested range not satisfiable"
        case .objectStoreUnavailable: "object store unavailable - please retry later"
        case .objectStoreRejected: "object store rejected the request"
        case .metadataUnavailable: "metadata store unavailable - please retry later"
        case .cacheUnavailable: "cache unavailable"
        case .insufficientStorage: "node is low on disk space - please retry later"
        case .shuttingDown: "node is shutting down - please retry"
        case .routeNotFound: "not found"
        case .clientClosedRequest: "client closed the connection before the request was complete"
        case .internalError: "internal error"
        case .uploadNotFound: "upload not found"
        case .uploadExpired: "upload expired"
        case .uploadOffsetMismatch: "Upload-Offset does not match the upload's offset"
        case .uploadLengthMismatch: "the request does not match the upload's length"
        case .uploadChecksumMismatch: "Upload-Checksum does not match the request body"
        case .unsupportedProtocolVersion: "Tus-Resumable must be 1.0.0"
        case .unsupportedMediaType: "Content-Type must be application/offset+octet-stream"
        case .rateLimited: "too many requests - please retry later"
        case .requestTimeout: "upload too slow - the body arrived below the minimum rate"
        }
    }
}
