/// Why a node could not bring a PostgreSQL schema up to date at start-up (it then refuses to start).
public struct PostgresMigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What happened, naming the database (never a password).
    public var message: String

    /// Creates an error.
    /// - Parameter message: What happened.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
