import Logging
import PostgresNIO

/// Turns what postgres-nio throws into ``CoreStoreError``, logging the detail (SQLSTATE and the
/// server's message; never query parameters or passwords).
///
/// Connection trouble, timeouts, an unreachable or shutting-down server, too many connections,
/// lock and serialization conflicts and authentication failures are `.metadataUnavailable`
/// (503 + Retry-After); anything else (a bug: SQL errors, undecodable rows) is `.internalError`.
enum PostgresFailure {
    /// The client-side deadline of a store call passed.
    struct TimedOut: Error, CustomStringConvertible {
        var description: String { "query timeout passed" }
    }

    /// The ``CoreStoreError`` for `error`, logged with `operation` and the shard label.
    static func map(_ error: any Error, operation: String, shard: String, logger: Logger) -> CoreStoreError {
        if let error = error as? CoreStoreError { return error }
        if let error = error as? PostgresTransactionError,
            let inner = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
        {
            return map(inner, operation: operation, shard: shard, logger: logger)
        }
        let (code, detail) = classify(error)
        let metadata: Logger.Metadata = [
            "postgres.operation": "\(operation)", "postgres.shard": "\(shard)", "error": "\(detail)",
        ]
        if code == .metadataUnavailable {
            logger.warning("postgres metadata call failed", metadata: metadata)
        } else {
            logger.error("postgres metadata call failed unexpectedly", metadata: metadata)
        }
        return CoreStoreError(code)
    }

    /// The code and a log-safe detail for a non-``CoreStoreError``.
    static func classify(_ error: any Error) -> (CoreStoreError.Code, String) {
        guard let error = error as? PSQLError else {
            if error is PostgresDecodingError { return (.internalError, "row not decodable") }
            // Timeouts, cancellation, pool circuit breaker, socket errors: all transient.
            return (.metadataUnavailable, String(describing: type(of: error)) + ": \(error)")
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?????"
            let message = error.serverInfo?[.message] ?? ""
            return (transientStates(state) ? .metadataUnavailable : .internalError, "SQLSTATE \(state): \(message)")
        case .messageDecodingFailure, .unexpectedBackendMessage, .invalidCommandTag, .tooManyParameters:
            return (.internalError, "\(error.code)")
        default:
            let underlying = error.underlying.map { " (\($0))" } ?? ""
            return (.metadataUnavailable, "\(error.code)\(underlying)")
        }
    }

    /// SQLSTATEs that mean "retry later": connection exceptions (08), transaction rollbacks such
    /// as serialization failures and deadlocks (40), insufficient resources (53), operator
    /// intervention such as `statement_timeout` or a shutdown (57), system errors (58), lock not
    /// available (55P03), authentication failures (28) and a missing database (3D000).
    static func transientStates(_ state: String) -> Bool {
        let transientClasses: Set<Substring> = ["08", "40", "53", "57", "58", "28"]
        return transientClasses.contains(state.prefix(2)) || state == "55P03" || state == "3D000"
    }
}
