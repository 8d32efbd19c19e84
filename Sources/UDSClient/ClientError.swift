public import Foundation

/// What went wrong with a call of ``UDSClient``.
///
/// The service's own refusals arrive as ``service(_:)`` with the stable `code` of its JSON error
/// body (docs/api.md, "All error codes"); branch on that code, not on the message.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// The service answered with an error status and its JSON body `{"code", "error"}`.
    case service(ServiceError)
    /// The downloaded bytes' MD5 is not the one the service announced (`ETag`); the partial file is removed.
    case checksumMismatch(name: String, expected: String, actual: String)
    /// The connection failed or broke (refused, reset, timed out) before an answer was complete.
    case transport(String)
    /// The service answered something this client cannot read (a success without the expected JSON or headers).
    case invalidResponse(String)
    /// A local file could not be read or written.
    case localFile(path: String, reason: String)
    /// No user id: the token has no readable user claim and none was configured.
    case missingUser

    /// A one-line description for people (the CLI prints it).
    public var description: String {
        switch self {
        case .service(let error): "\(error.code.rawValue) (\(error.status)): \(error.message)"
        case .checksumMismatch(let name, let expected, let actual):
            "CHECKSUM_MISMATCH: \(name) downloaded with MD5 \(actual), the service announced \(expected)"
        case .transport(let reason): "connection failed: \(reason)"
        case .invalidResponse(let reason): "unexpected answer: \(reason)"
        case .localFile(let path, let reason): "\(path): \(reason)"
        case .missingUser: "no user id: the token has no \"sub\" claim; pass --user (UDS_USER)"
        }
    }

    /// The service's error code, when the service answered with one.
    public var serviceCode: ServiceErrorCode? {
        if case .service(let error) = self { return error.code }
        return nil
    }
}

/// An error answer of the service.
public struct ServiceError: Sendable, Equatable {
    /// The HTTP status (403, 404, 409, 413, 429, 503 …).
    public var status: Int
    /// The stable code of the body (`FILE_NOT_FOUND`); `UNKNOWN` when the body had none.
    public var code: ServiceErrorCode
    /// The body's `error` message, for people.
    public var message: String
    /// Seconds from `Retry-After`, when the answer carried one.
    public var retryAfter: Double?

    /// Makes an error answer.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - code: The body's `code`.
    ///   - message: The body's `error`.
    ///   - retryAfter: Seconds from `Retry-After`.
    public init(status: Int, code: ServiceErrorCode, message: String, retryAfter: Double? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    /// Reads an error body (`{"code": "...", "error": "..."}`); tolerates a body that is not JSON.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - body: The body's bytes.
    ///   - retryAfter: Seconds from `Retry-After`.
    public init(status: Int, body: Data, retryAfter: Double?) {
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let code = json?["code"] as? String
        let message = json?["error"] as? String ?? String(decoding: body.prefix(200), as: UTF8.self)
        self.init(
            status: status, code: ServiceErrorCode(rawValue: code ?? "UNKNOWN"), message: message,
            retryAfter: retryAfter)
    }
}

/// A stable error code of the service (`FILE_NOT_FOUND`); codes this client does not name are kept as sent.
public struct ServiceErrorCode: RawRepresentable, Hashable, Sendable {
    /// The code as the service spells it.
    public var rawValue: String
    /// Wraps a code.
    /// - Parameter rawValue: The code as sent.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `403`: missing, malformed, expired or wrongly signed token.
    public static let invalidCredentials = Self(rawValue: "INVALID_CREDENTIALS")
    /// `403`: the path's user is not the token's user.
    public static let forbidden = Self(rawValue: "FORBIDDEN")
    /// `404`: no such file.
    public static let fileNotFound = Self(rawValue: "FILE_NOT_FOUND")
    /// `409`: the stored bytes' MD5 is not the one sent.
    public static let checksumMismatch = Self(rawValue: "CHECKSUM_MISMATCH")
    /// `413`: larger than the node's `maxUploadBytes`.
    public static let payloadTooLarge = Self(rawValue: "PAYLOAD_TOO_LARGE")
    /// `413`: the user's storage quota is used up.
    public static let quotaExceeded = Self(rawValue: "QUOTA_EXCEEDED")
    /// `429`: too many requests or uploads at once.
    public static let rateLimited = Self(rawValue: "RATE_LIMITED")
    /// `400`: the file name breaks the name rules.
    public static let invalidFileName = Self(rawValue: "INVALID_FILE_NAME")
    /// `400`: a malformed request (e.g. a bad `expires_in`).
    public static let badRequest = Self(rawValue: "BAD_REQUEST")
    /// `412`: an `If-Match` / `If-None-Match` precondition failed.
    public static let preconditionFailed = Self(rawValue: "PRECONDITION_FAILED")
    /// `409` (tus): the upload's offset moved.
    public static let uploadOffsetMismatch = Self(rawValue: "UPLOAD_OFFSET_MISMATCH")
    /// `404` (tus): the resumable upload is gone.
    public static let uploadNotFound = Self(rawValue: "UPLOAD_NOT_FOUND")
}
