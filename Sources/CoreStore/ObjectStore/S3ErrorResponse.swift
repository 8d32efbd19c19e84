import Logging

/// An S3 error answer (`<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId></Error>`)
/// and its mapping onto ``CoreStoreError/Code``.
struct S3ErrorResponse: Sendable, Equatable {
    /// HTTP status (200 for an error inside a CompleteMultipartUpload answer).
    var status: Int
    /// S3's error code, e.g. `NoSuchKey`; `nil` when the body had none (HEAD answers have no body).
    var code: String?
    /// S3's message (logged, never shown to clients).
    var message: String?
    /// S3's request id (logged).
    var requestID: String?

    /// Parses an error answer.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - body: The (possibly empty) body.
    ///   - headers: Response headers (`x-amz-request-id` when the body has no request id).
    init(status: Int, body: [UInt8], headers: [String: String] = [:]) {
        let xml = String(decoding: body, as: UTF8.self)[...]
        let error = S3XML.elements("Error", in: xml).first ?? xml
        self.status = status
        self.code = S3XML.value("Code", in: error).flatMap { $0.isEmpty ? nil : $0 }
        self.message = S3XML.value("Message", in: error)
        self.requestID = S3XML.value("RequestId", in: error) ?? headers["x-amz-request-id"]
    }

    /// Creates a value directly (tests).
    init(status: Int, code: String?, message: String? = nil, requestID: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// The upload is unknown (already completed or aborted); success for an abort.
    var isNoSuchUpload: Bool { code == "NoSuchUpload" || (code == nil && status == 404) }

    /// The bucket exists and belongs to us (or someone else); fine for ``S3ObjectStore/ensureBucket()``.
    var isBucketAlreadyThere: Bool {
        code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists" || (code == nil && status == 409)
    }

    /// The service error code this answer means.
    var errorCode: CoreStoreError.Code {
        switch code {
        case "NoSuchKey": return .objectNotFound
        case "BadDigest", "InvalidDigest": return .checksumMismatch
        case "InvalidRange": return .rangeNotSatisfiable
        case "SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeTooSkewed",
            "OperationAborted", "ExpiredToken":
            return .objectStoreUnavailable
        case "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "NoSuchBucket", "NoSuchUpload",
            "InvalidBucketName", "InvalidRequest", "InvalidArgument", "EntityTooLarge", "EntityTooSmall",
            "InvalidPart", "InvalidPartOrder", "MalformedXML", "InvalidToken":
            return .objectStoreRejected
        default:
            break
        }
        switch status {
        case 404: return .objectNotFound
        case 416: return .rangeNotSatisfiable
        case 408, 429, 500...599: return .objectStoreUnavailable
        case 200..<300: return code == nil ? .internalError : .objectStoreUnavailable
        default: return .objectStoreRejected
        }
    }

    /// Whether retrying may help.
    var isRetryable: Bool { errorCode == .objectStoreUnavailable }

    /// The error to throw; the S3 details go to `logger`, never into the message.
    func coreStoreError(operation: String, key: String?, logger: Logger) -> CoreStoreError {
        let level: Logger.Level = (errorCode == .objectNotFound || errorCode == .checksumMismatch) ? .debug : .warning
        logger.log(
            level: level, "s3 request failed",
            metadata: [
                "s3.operation": "\(operation)", "s3.key": "\(key ?? "")", "s3.status": "\(status)",
                "s3.code": "\(code ?? "")", "s3.message": "\(message ?? "")", "s3.request_id": "\(requestID ?? "")",
            ])
        return CoreStoreError(errorCode)
    }
}
