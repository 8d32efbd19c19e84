import CoreStore
import Foundation
public import Logging
import Metrics

/// The audit line of one transfer: who, which file, bytes, duration, outcome, error code.
/// Never holds tokens or file contents.
public struct TransferAudit: Sendable {
    /// `upload_form`, `upload_raw`, `download`, `delete`, `list`, `link` (a signed link issued).
    public let operation: String
    /// The request id.
    public let requestID: String
    /// The caller, once authenticated.
    public var userID: String?
    /// The file name.
    public var fileName: String?
    /// The file version.
    public var fileID: String?
    /// Bytes received or sent.
    public var bytes: Int64 = 0
    /// The serving tier for downloads (`disk`, `redis`, `store`).
    public var tier: String?
    /// More fields of the line (a signed link's key id and expiry), never a secret.
    public var details: Logger.Metadata = [:]
    private let started = ContinuousClock.now

    /// Starts an audit record.
    public init(operation: String, requestID: String) {
        self.operation = operation
        self.requestID = requestID
    }

    /// Logs the audit line and counts the outcome.
    /// - Parameters:
    ///   - outcome: `ok`, `checksum`, `too_large`, `auth`, `bad_request`, `error`.
    ///   - error: The error code, if any.
    ///   - logger: The request logger.
    public func finish(outcome: String, error: String? = nil, logger: Logger) {
        let seconds = (ContinuousClock.now - started).secondsValue
        var metadata: Logger.Metadata = [
            "audit.operation": "\(operation)",
            "audit.outcome": "\(outcome)",
            "transfer.bytes": "\(bytes)",
            "transfer.duration_seconds": "\(String(format: "%.6f", seconds))",
        ]
        if let userID { metadata["user.id"] = "\(userID)" }
        if let fileName { metadata["file.name"] = "\(fileName)" }
        if let fileID { metadata["file.id"] = "\(fileID)" }
        if let tier { metadata["cache.tier"] = "\(tier)" }
        if let error { metadata["error.code"] = "\(error)" }
        metadata.merge(details) { current, _ in current }
        logger.info("transfer", metadata: metadata)
        if operation.hasPrefix("upload") {
            Counter(label: "uds_upload_outcomes_total", dimensions: [("outcome", outcome)]).increment()
            if outcome == "ok" {
                Counter(label: "uds_transfer_bytes_total", dimensions: [("direction", "in")]).increment(by: bytes)
            }
        } else if operation == "download", outcome == "ok" {
            Counter(label: "uds_transfer_bytes_total", dimensions: [("direction", "out")]).increment(by: bytes)
        }
    }
}
