import Hummingbird
import NodeHTTP

/// An upload-node transfer: ``AuditedTransfer`` with the upload outcome labels
/// (`uds_upload_outcomes_total{outcome}`, ``UploadOutcome``), for the plain, tus and IETF-draft routes.
enum AuditedUpload {
    /// Runs `body` with its audit line, outcome metric and in-flight count.
    /// - Parameters:
    ///   - operation: The audit line's `audit.operation` (`upload_raw`, `tus_patch`, …).
    ///   - context: The request's context.
    ///   - drain: The node's drain state (counts the transfer in flight).
    ///   - body: The transfer; fills in the audit record.
    static func run(
        operation: String, context: NodeRequestContext, drain: DrainState,
        _ body: (inout TransferAudit) async throws -> Response
    ) async throws -> Response {
        try await AuditedTransfer.run(
            operation: operation, context: context, drain: drain, outcome: UploadOutcome.label(for:), body)
    }
}
