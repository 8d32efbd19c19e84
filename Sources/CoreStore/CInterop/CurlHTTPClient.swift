public import Logging

/// The answer to a small HTTP request.
public struct HTTPFetchResult: Sendable {
    /// HTTP status.
    public var status: Int
    /// Response headers, names lowercased.
    public var headers: [String: String]
    /// Response body.
    public var body: [UInt8]

    /// Creates a result.
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A tiny HTTP client over libcurl for small documents (instance metadata, JWKS).
///
/// Requests run on the ``BlockingPool``; bodies are held in memory (at most ``maximumBodySize``).
public struct CurlHTTPClient: Sendable {
    /// Largest response body accepted.
    public static let maximumBodySize = 4 * 1024 * 1024

    private let pool: BlockingPool
    private let handles = CurlHandlePool(maximumIdle: 4)
    private let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - pool: Where the blocking curl calls run.
    ///   - logger: Receives transport errors.
    public init(pool: BlockingPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// `GET url`.
    /// - Parameters:
    ///   - url: Absolute URL.
    ///   - headers: Extra request headers.
    ///   - timeout: Overall limit in seconds.
    /// - Returns: Status, headers and body (any status; only transport failures throw).
    /// - Throws: `CoreStoreError(.objectStoreUnavailable)` when the server cannot be reached or times out.
    public func get(url: String, headers: [(String, String)] = [], timeout: Double) async throws -> HTTPFetchResult {
        try await send(method: "GET", url: url, headers: headers, body: .none, timeout: timeout)
    }

    /// `PUT url` with a small body.
    /// - Parameters:
    ///   - url: Absolute URL.
    ///   - headers: Extra request headers.
    ///   - body: Request body.
    ///   - timeout: Overall limit in seconds.
    /// - Returns: Status, headers and body (any status; only transport failures throw).
    /// - Throws: `CoreStoreError(.objectStoreUnavailable)` when the server cannot be reached or times out.
    public func put(url: String, headers: [(String, String)] = [], body: [UInt8] = [], timeout: Double) async throws
        -> HTTPFetchResult
    {
        try await send(method: "PUT", url: url, headers: headers, body: .bytes(body), timeout: timeout)
    }

    private func send(
        method: String, url: String, headers: [(String, String)], body: CurlRequestBody, timeout: Double
    ) async throws(CoreStoreError) -> HTTPFetchResult {
        var transfer = CurlTransfer(method: method, url: url)
        transfer.headers = headers + [("Expect", "")]
        transfer.body = body
        transfer.sink = .memory(limit: Self.maximumBodySize)
        transfer.connectTimeout = min(timeout, 5)
        transfer.totalTimeout = timeout
        let response = try await transfer.perform(pool: pool, handles: handles, logger: logger)
        return HTTPFetchResult(status: response.status, headers: response.headers, body: response.body)
    }
}
