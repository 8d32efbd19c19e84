internal import CStubs
import Logging
import Synchronization

/// SigV4 signing material for one request (curl signs; the caller adds `x-amz-content-sha256`).
struct CurlSigV4: Sendable {
    /// Region, e.g. `us-east-1`.
    var region: String
    /// Service name in the credential scope.
    var service: String = "s3"
    /// Access key id.
    var accessKey: String
    /// Secret access key.
    var secretKey: String
}

/// Where a request body comes from; every source can be read again for a retry.
enum CurlRequestBody: Sendable {
    /// No body.
    case none
    /// Bytes in memory.
    case bytes([UInt8])
    /// `length` bytes of the file at `path` from `offset`, read with `pread`.
    case file(path: String, offset: Int64, length: Int64)
}

/// Where a successful (2xx) response body goes; other bodies are kept in memory (capped) for error parsing.
enum CurlResponseSink: Sendable {
    /// In memory, at most `limit` bytes (more fails the transfer).
    case memory(limit: Int)
    /// A new file at `path` (created on the first byte of a 2xx body; removed again if the transfer fails).
    case file(path: String)
    /// Chunks handed to an async consumer through a bounded bridge.
    case stream(CurlStreamBridge)
}

/// What came back.
struct CurlResponse: Sendable {
    /// HTTP status of the final response.
    var status: Int
    /// Response headers, names lowercased.
    var headers: [String: String]
    /// The body for `.memory` sinks, or the (capped) body of a non-2xx response.
    var body: [UInt8]
    /// Body bytes delivered to the sink.
    var bodyBytes: Int64
}

/// A cancellation flag the transfer's progress callback polls.
final class CurlCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Requests the transfer to stop.
    func cancel() { flag.store(true, ordering: .relaxed) }

    /// Whether ``cancel()`` was called.
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// One HTTP request over libcurl, performed on the ``BlockingPool`` with a pooled easy handle.
struct CurlTransfer: Sendable {
    /// HTTP method (`GET`, `HEAD`, `PUT`, `POST`, `DELETE`).
    var method: String
    /// Absolute URL, already percent-encoded.
    var url: String
    /// Request headers in order; an empty value removes a header curl would add (e.g. `Expect`).
    var headers: [(String, String)] = []
    /// SigV4 signing, or `nil` for an unsigned request.
    var signing: CurlSigV4?
    /// Request body (only sent for `PUT`/`POST`).
    var body: CurlRequestBody = .none
    /// Response sink.
    var sink: CurlResponseSink = .memory(limit: 1 << 20)
    /// Seconds allowed for the TCP/TLS connect.
    var connectTimeout: Double = 5
    /// The transfer fails when slower than `lowSpeedLimit` bytes/s for this many seconds.
    var lowSpeedTime: Int = 30
    /// See ``lowSpeedTime``.
    var lowSpeedLimit: Int = 1
    /// Overall limit in seconds, or `nil` for none.
    var totalTimeout: Double?

    /// Performs the request on `pool`.
    /// - Throws: `.objectStoreUnavailable` when the server cannot be reached, times out or the transfer
    ///   is cancelled; `.internalError` for local I/O failures. HTTP error statuses are returned, not thrown.
    func perform(pool: BlockingPool, handles: CurlHandlePool, logger: Logger) async throws(CoreStoreError)
        -> CurlResponse
    {
        let cancellation = CurlCancellation()
        do {
            return try await withTaskCancellationHandler {
                try await pool.run {
                    try handles.withHandle { try self.run(on: $0, cancellation: cancellation, logger: logger) }
                }
            } onCancel: {
                cancellation.cancel()
            }
        } catch let error as CoreStoreError {
            throw error
        } catch {
            logger.warning("curl transfer not run", metadata: ["error": "\(error)", "http.url": "\(url)"])
            throw CoreStoreError(.objectStoreUnavailable)
        }
    }

    private func run(on handle: CurlEasyHandle, cancellation: CurlCancellation, logger: Logger) throws(CoreStoreError)
        -> CurlResponse
    {
        let context = CurlTransferContext(body: body, sink: sink, cancellation: cancellation)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for (name, value) in headers {
            headerList = curl_slist_append(headerList, value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        configure(handle, headerList: headerList, context: context)
        let code =
            context.failure == nil ? withExtendedLifetime(context) { handle.perform() } : CURLE_ABORTED_BY_CALLBACK
        let status = handle.responseCode()
        let succeeded = code == CURLE_OK
        context.finish(succeeded: succeeded)
        if let failure = context.failure {
            logger.error(
                "curl transfer failed locally",
                metadata: ["curl.failure": "\(failure)", "http.method": "\(method)", "http.url": "\(url)"])
            throw CoreStoreError(failure.code)
        }
        guard succeeded else {
            logger.warning(
                "curl transfer failed",
                metadata: [
                    "curl.code": "\(code.rawValue)", "curl.error": "\(CurlEasyHandle.describe(code))",
                    "curl.cancelled": "\(cancellation.isCancelled)", "http.method": "\(method)", "http.url": "\(url)",
                ])
            throw CoreStoreError(.objectStoreUnavailable)
        }
        return CurlResponse(
            status: context.status == 0 ? status : context.status, headers: context.headers,
            body: context.responseBody, bodyBytes: context.bodyBytes)
    }

    private func configure(
        _ handle: CurlEasyHandle, headerList: UnsafeMutablePointer<curl_slist>?, context: CurlTransferContext
    ) {
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        handle.set(CURLOPT_URL, url)
        switch method {
        case "GET": break
        case "HEAD": handle.set(CURLOPT_NOBODY, 1)
        case "PUT", "POST":
            handle.set(CURLOPT_UPLOAD, 1)
            handle.set(CURLOPT_INFILESIZE_LARGE, offset: context.bodyLength)
            handle.set(CURLOPT_UPLOAD_BUFFERSIZE, 256 * 1024)
            handle.setReadCallback(curlTransferReadCallback)
            handle.set(CURLOPT_READDATA, pointer: opaque)
            if method != "PUT" { handle.set(CURLOPT_CUSTOMREQUEST, method) }
        default: handle.set(CURLOPT_CUSTOMREQUEST, method)
        }
        handle.set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(headerList))
        if let signing {
            handle.set(CURLOPT_AWS_SIGV4, "aws:amz:\(signing.region):\(signing.service)")
            handle.set(CURLOPT_USERNAME, signing.accessKey)
            handle.set(CURLOPT_PASSWORD, signing.secretKey)
        }
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
        handle.set(CURLOPT_LOW_SPEED_LIMIT, lowSpeedLimit)
        handle.set(CURLOPT_LOW_SPEED_TIME, lowSpeedTime)
        if let totalTimeout { handle.set(CURLOPT_TIMEOUT_MS, Int(totalTimeout * 1000)) }
        handle.set(CURLOPT_BUFFERSIZE, 128 * 1024)
        handle.set(CURLOPT_HEADERFUNCTION, writeCallback: curlTransferHeaderCallback)
        handle.set(CURLOPT_HEADERDATA, pointer: opaque)
        handle.set(CURLOPT_WRITEFUNCTION, writeCallback: curlTransferWriteCallback)
        handle.set(CURLOPT_WRITEDATA, pointer: opaque)
        handle.set(CURLOPT_NOPROGRESS, 0)
        handle.setTransferInfoCallback(curlTransferInfoCallback)
        handle.set(CURLOPT_XFERINFODATA, pointer: opaque)
    }
}
