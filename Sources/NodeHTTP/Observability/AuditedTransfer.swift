public import CoreStore
public import Hummingbird

/// The one wrapper of every audited transfer on either node (uploads, tus and draft appends,
/// deletes, downloads, link issuing): the audit line, finished `ok` or with the error's outcome
/// and code, and on the upload node the in-flight count the drain waits for.
public enum AuditedTransfer {
    /// Runs `body` with a fresh audit record and finishes the record with the result.
    /// - Parameters:
    ///   - operation: The audit line's operation (``TransferAudit/operation``).
    ///   - context: The request's context (request id, logger).
    ///   - drain: When given, the transfer counts as in flight for the graceful drain.
    ///   - outcome: The outcome label of a failed transfer's error code (`error` unless told).
    ///   - body: The transfer; it fills in the audit record as it learns who and what.
    /// - Returns: The transfer's response.
    /// - Throws: Whatever `body` throws, after the audit line is written.
    public static func run(
        operation: String, context: NodeRequestContext, drain: DrainState? = nil,
        outcome: (CoreStoreError.Code) -> String = { _ in "error" },
        _ body: (inout TransferAudit) async throws -> Response
    ) async throws -> Response {
        var audit = TransferAudit(operation: operation, requestID: context.requestID)
        do {
            let response: Response
            if let drain {
                response = try await drain.track { try await body(&audit) }
            } else {
                response = try await body(&audit)
            }
            audit.finish(outcome: "ok", logger: context.logger)
            return response
        } catch {
            let code = ErrorResponse.coreStoreError(from: error).code
            audit.finish(outcome: outcome(code), error: code.rawValue, logger: context.logger)
            throw error
        }
    }
}
