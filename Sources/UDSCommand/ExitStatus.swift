import ArgumentParser
import UDSClient

/// The exit codes of `uds` (docs/clients.md).
enum ExitStatus: Int32 {
    /// Everything succeeded.
    case ok = 0
    /// Some operation failed for another reason (network, server error, local file).
    case failure = 1
    /// Bad command line (unknown option, missing argument, no token).
    case usage = 2
    /// The token was refused (`403`), or names no user.
    case auth = 3
    /// No such file (`404`).
    case notFound = 4
    /// An MD5 did not match (`409 CHECKSUM_MISMATCH` on upload, or the downloaded bytes).
    case checksum = 5
    /// Interrupted (Ctrl-C); an interrupted download resumes on the next run.
    case interrupted = 130

    /// The status for an error of one operation.
    init(_ error: any Error) {
        switch error {
        case is CancellationError: self = .interrupted
        case ClientError.missingUser: self = .auth
        case ClientError.checksumMismatch: self = .checksum
        case ClientError.service(let failure):
            switch failure.status {
            case 403: self = .auth
            case 404: self = .notFound
            case 409 where failure.code == .checksumMismatch: self = .checksum
            default: self = .failure
            }
        default: self = .failure
        }
    }

    /// The status of a whole command: the first failure's, in argument order (interrupted wins).
    static func combined(_ statuses: [ExitStatus]) -> ExitStatus {
        if statuses.contains(.interrupted) { return .interrupted }
        return statuses.first { $0 != .ok } ?? .ok
    }
}
