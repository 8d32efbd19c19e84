/// A PostgreSQL URL (or its TLS material) that cannot be used; the message never contains a
/// password (URLs in it are redacted).
public struct PostgresURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for an operator.
    public var message: String

    /// Creates an error.
    /// - Parameter message: What is wrong (already redacted).
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
