import NIOCore

/// One Redis connection as ``RedisClient``'s pool sees it, whatever carries it: hiredis on the
/// blocking pool (`redis://`) or a SwiftNIO channel with TLS (`rediss://`).
///
/// A connection runs one command at a time (the pool checks it out). After a connection-level
/// failure ``isBroken`` is set and the pool drops it.
protocol RedisConnecting: AnyObject, Sendable {
    /// The pool generation this connection was made in (older ones are dropped after a failure).
    var generation: UInt64 { get }
    /// Set once a command failed at the connection level; the connection must be discarded.
    var isBroken: Bool { get }
    /// Whether the last connection-level failure was a command timeout (the server may be hung).
    var lastFailureWasTimeout: Bool { get }

    /// Sends one command and waits for its reply.
    /// - Parameter arguments: The command name and its arguments, each as raw bytes.
    /// - Returns: The reply (an error reply is a value, not a throw).
    /// - Throws: `CoreStoreError(.cacheUnavailable)` on a connection-level failure (and marks the connection broken).
    func execute(_ arguments: [ByteBuffer]) async throws(CoreStoreError) -> RedisValue
}
