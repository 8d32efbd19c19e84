/// A setting the node cannot start with; the message names the key (the daemon prints it and exits 1).
public struct ConfigurationError: Error, CustomStringConvertible {
    /// The key as an operator sets it (`UDS_SIMD`, `metadataUrls`).
    public let key: String
    /// What is wrong with its value (never the value itself when it may hold a secret).
    public let problem: String

    /// A setting's error.
    /// - Parameters:
    ///   - key: The key as an operator sets it.
    ///   - problem: What is wrong with its value.
    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    /// `invalid configuration: KEY: PROBLEM`.
    public var description: String { "invalid configuration: \(key): \(problem)" }
}
