public import CoreStore
public import HTTPTypes

extension CoreStoreError.Code {
    /// The one mapping from error code to HTTP status (exhaustive: a new code will not compile
    /// until it has a status).
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .invalidCredentials, .forbidden: .forbidden
        case .badRequest, .malformedMultipart, .missingFilePart, .invalidFileName, .invalidContentType,
            .invalidChecksum, .missingChecksum:
            .badRequest
        case .checksumMismatch: .conflict
        case .payloadTooLarge, .quotaExceeded: .contentTooLarge
        case .headersTooLarge: .requestHeaderFieldsTooLarge
        case .preconditionFailed: .preconditionFailed
        case .notImplemented: .notImplemented
        case .fileNotFound, .routeNotFound, .uploadNotFound: .notFound
        case .uploadExpired: .gone
        case .uploadOffsetMismatch, .uploadLengthMismatch: .conflict
        case .uploadChecksumMismatch: .init(code: 460, reasonPhrase: "Checksum Mismatch")
        case .unsupportedProtocolVersion: .preconditionFailed
        case .unsupportedMediaType: .unsupportedMediaType
        case .rangeNotSatisfiable: .rangeNotSatisfiable
        case .rateLimited: .tooManyRequests
        case .requestTimeout: .requestTimeout
        case .clientClosedRequest: .init(code: 499, reasonPhrase: "Client Closed Request")
        case .objectStoreUnavailable, .metadataUnavailable, .insufficientStorage, .shuttingDown,
            .cacheUnavailable:
            .serviceUnavailable
        case .objectNotFound, .objectStoreRejected, .internalError: .internalServerError
        }
    }

    /// Seconds for `Retry-After` on answers that invite a retry; `nil` otherwise.
    public var retryAfterSeconds: Int? {
        switch httpStatus {
        case .serviceUnavailable: self == .shuttingDown ? 1 : 5
        case .tooManyRequests: 1
        default: nil
        }
    }
}
