import Foundation

/// Where the service is, who calls it, and how transfers behave.
public struct ClientConfiguration: Sendable {
    /// The upload node's base URL (`http://127.0.0.1:8001`, `https://upload.example.com`).
    public var uploadURL: String
    /// The download node's base URL (`http://127.0.0.1:8002`).
    public var downloadURL: String
    /// The bearer token (a JWT) sent with every request.
    public var token: String
    /// The user id used in paths; `nil` reads the token's `sub` claim (see ``TokenUser``).
    public var user: String?
    /// When to retry `503`/`429` answers.
    public var retry: RetryPolicy
    /// Files larger than this go up with the resumable (tus) protocol; smaller ones as one multipart `POST`.
    public var resumableThreshold: Int64
    /// Bytes per tus `PATCH` (a multiple of the node's 5 MiB part size costs the node nothing extra).
    public var resumableChunkBytes: Int
    /// An upper bound on each transfer's rate in bytes per second (`nil`: as fast as the network goes).
    public var maxBytesPerSecond: Int?

    /// Makes a configuration.
    /// - Parameters:
    ///   - uploadURL: The upload node's base URL.
    ///   - downloadURL: The download node's base URL.
    ///   - token: The bearer token.
    ///   - user: The user id for paths (`nil`: the token's `sub`).
    ///   - retry: Retry policy for `503`/`429`.
    ///   - resumableThreshold: Size above which uploads use tus (64 MiB).
    ///   - resumableChunkBytes: Bytes per tus `PATCH` (10 MiB).
    ///   - maxBytesPerSecond: Rate bound per transfer.
    public init(
        uploadURL: String, downloadURL: String, token: String, user: String? = nil, retry: RetryPolicy = RetryPolicy(),
        resumableThreshold: Int64 = 64 * 1024 * 1024, resumableChunkBytes: Int = 10 * 1024 * 1024,
        maxBytesPerSecond: Int? = nil
    ) {
        self.uploadURL = uploadURL
        self.downloadURL = downloadURL
        self.token = token
        self.user = user
        self.retry = retry
        self.resumableThreshold = resumableThreshold
        self.resumableChunkBytes = resumableChunkBytes
        self.maxBytesPerSecond = maxBytesPerSecond
    }
}
