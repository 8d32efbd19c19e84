public import Logging
public import NIOCore

/// The production ``ObjectStore``: the S3 API over libcurl with SigV4 (AWS S3, SeaweedFS, MinIO, Ceph RGW).
///
/// Every request runs on the ``BlockingPool`` with a pooled curl handle (keep-alive), passes an
/// async semaphore of ``S3Configuration/maxConcurrentRequests`` permits, and is retried with
/// jittered backoff while it fails with `.objectStoreUnavailable`. S3 error details are logged;
/// callers see ``CoreStoreError`` codes only.
///
/// Size the ``BlockingPool`` above ``S3Configuration/maxConcurrentRequests`` when stream consumers
/// themselves use the pool: a streaming GET holds its pool thread while it waits for the consumer.
public final class S3ObjectStore: MultipartObjectStore {
    let configuration: S3Configuration
    let pool: BlockingPool
    let logger: Logger
    let handles: CurlHandlePool
    let builder: S3RequestBuilder
    let credentials: S3CredentialsProvider
    let retry: RetryPolicy
    let limiter: S3RequestLimiter

    /// Creates a store; no request is sent until the first call.
    /// - Parameters:
    ///   - configuration: Endpoint, bucket, credentials and tuning.
    ///   - pool: Where the blocking curl calls run.
    ///   - logger: Receives S3 and transport errors.
    ///   - environment: The process environment as read by the application (for `.environment` credentials).
    public init(configuration: S3Configuration, pool: BlockingPool, logger: Logger, environment: [String: String] = [:])
    {
        self.configuration = configuration
        self.pool = pool
        self.logger = logger
        self.handles = CurlHandlePool(maximumIdle: configuration.maxConcurrentRequests)
        self.builder = S3RequestBuilder(configuration: configuration)
        self.credentials = S3CredentialsProvider(
            source: configuration.credentials, environment: environment,
            http: CurlHTTPClient(pool: pool, logger: logger), logger: logger)
        self.retry = RetryPolicy(configuration: configuration)
        self.limiter = S3RequestLimiter(limit: configuration.maxConcurrentRequests)
    }

    /// Creates the bucket; an existing bucket is fine.
    /// - Throws: `.objectStoreUnavailable`, `.objectStoreRejected`.
    public func ensureBucket() async throws {
        let body = S3RequestBuilder.createBucketBody(region: configuration.region)
        let request = builder.createBucket(bodyLength: body.count)
        _ = try await retry.run(operation: "CreateBucket", logger: logger) { _ in
            try await execute("CreateBucket", key: nil, request, body: .bytes(body)) { $0.isBucketAlreadyThere }
        }
    }

    /// Uploads the file with its `Content-MD5` (the store verifies it).
    public func putObject(key: ObjectKey, fromFile path: String, size: Int64, md5: ContentDigest, contentType: String)
        async throws
    {
        let request = builder.putObject(key: key, size: size, md5: md5, contentType: contentType)
        _ = try await retry.run(operation: "PutObject", logger: logger) { _ in
            try await execute("PutObject", key: key, request, body: .file(path: path, offset: 0, length: size))
        }
    }

    /// Downloads the object or an inclusive range of it into a new file.
    public func getObject(key: ObjectKey, range: ClosedRange<Int64>?, toFile path: String) async throws -> Int64 {
        let request = builder.getObject(key: key, range: range)
        let response = try await retry.run(operation: "GetObject", logger: logger) { _ in
            try await execute("GetObject", key: key, request, sink: .file(path: path))
        }
        return response.bodyBytes
    }

    /// Streams the object in chunks of about 256 KiB; the curl thread waits while `consumer` works.
    ///
    /// A failure before the first chunk is retried; after it, the error is thrown (the consumer has
    /// already seen bytes). An error thrown by `consumer` aborts the transfer and is rethrown unchanged.
    public func streamObject(
        key: ObjectKey, range: ClosedRange<Int64>?, to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        let request = builder.getObject(key: key, range: range)
        do {
            try await retry.run(operation: "GetObject", logger: logger) { _ in
                try await streamOnce(key: key, request: request, to: consumer)
            }
        } catch let failure as S3StreamFailure {
            throw failure.error
        }
    }

    private func streamOnce(
        key: ObjectKey, request: S3Request, to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        let bridge = CurlStreamBridge()
        async let response = execute("GetObject", key: key, request, sink: .stream(bridge))
        var delivered = false
        do {
            while let chunk = await bridge.next() {
                delivered = true
                try await consumer(ByteBuffer(bytes: chunk))
            }
        } catch {
            bridge.cancel()
            _ = try? await response
            throw S3StreamFailure(error: error)
        }
        do {
            _ = try await response
        } catch {
            // Bytes already reached the consumer: a retry would repeat them.
            if delivered { throw S3StreamFailure(error: error) }
            throw error
        }
    }

    /// Size and ETag of an object.
    public func headObject(key: ObjectKey) async throws -> ObjectInfo {
        let request = builder.headObject(key: key)
        let response = try await retry.run(operation: "HeadObject", logger: logger) { _ in
            try await execute("HeadObject", key: key, request)
        }
        guard let length = response.headers["content-length"].flatMap({ Int64($0) }) else {
            logger.error("s3 answer malformed", metadata: ["s3.operation": "HeadObject", "s3.key": "\(key)"])
            throw CoreStoreError(.objectStoreUnavailable)
        }
        return ObjectInfo(size: length, etag: response.headers["etag"].map(S3XML.unquote))
    }

    /// Deletes an object; a missing object counts as deleted.
    public func deleteObject(key: ObjectKey) async throws {
        let request = builder.deleteObject(key: key)
        _ = try await retry.run(operation: "DeleteObject", logger: logger) { _ in
            try await execute("DeleteObject", key: key, request) { $0.status == 404 }
        }
    }

    /// One `HEAD` of the bucket, not retried and bounded by ``S3Configuration/probeTimeout`` as a
    /// whole (readiness probes want a quick answer: a store that accepts connections but never
    /// answers would otherwise hold the probe for ``S3Configuration/lowSpeedTime``).
    public func checkReachable() async throws {
        let request =
            configuration.readinessPrefix.map { builder.listOneObject(prefix: $0 + "/") } ?? builder.headBucket()
        let response = try await execute(
            "CheckReachable", key: nil, request, totalTimeout: configuration.probeTimeout
        ) { $0.status == 404 }
        if response.status == 404 {
            logger.error("s3 bucket missing", metadata: ["s3.bucket": "\(configuration.bucket)"])
            throw CoreStoreError(.objectStoreRejected)
        }
    }

    // MARK: One attempt

    /// Sends one request; a non-2xx answer becomes a ``CoreStoreError`` unless `tolerate` accepts it,
    /// in which case the response is returned for the caller to inspect.
    func execute(
        _ operation: String, key: ObjectKey?, _ request: S3Request, body: CurlRequestBody = .none,
        sink: CurlResponseSink = .memory(limit: 8 << 20), totalTimeout: Double? = nil,
        tolerate: (S3ErrorResponse) -> Bool = { _ in false }
    ) async throws(CoreStoreError) -> CurlResponse {
        let credentials = try await credentials.current()
        var transfer = CurlTransfer(method: request.method, url: request.url)
        transfer.headers = request.headers
        if let token = credentials.sessionToken { transfer.headers.append(("x-amz-security-token", token)) }
        transfer.signing = CurlSigV4(
            region: configuration.region, accessKey: credentials.accessKey, secretKey: credentials.secretKey)
        transfer.body = body
        transfer.sink = sink
        transfer.connectTimeout = configuration.connectTimeout
        transfer.lowSpeedTime = configuration.lowSpeedTime
        transfer.lowSpeedLimit = configuration.lowSpeedLimit
        transfer.totalTimeout = totalTimeout
        await limiter.acquire()
        let started = ContinuousClock.now
        let response: CurlResponse
        do {
            response = try await transfer.perform(pool: pool, handles: handles, logger: logger)
            limiter.release()
        } catch {
            limiter.release()
            S3Metrics.record(operation: operation, since: started, failed: true)
            throw error
        }
        S3Metrics.record(operation: operation, since: started, failed: !(200..<300).contains(response.status))
        guard (200..<300).contains(response.status) else {
            let failure = S3ErrorResponse(status: response.status, body: response.body, headers: response.headers)
            if tolerate(failure) { return response }
            if failure.code == "ExpiredToken" { self.credentials.invalidate() }
            throw failure.coreStoreError(operation: operation, key: key?.rawValue, logger: logger)
        }
        return response
    }
}

/// Carries an error out of the retry loop untouched (a consumer's error, or a failure after bytes were delivered).
private struct S3StreamFailure: Error {
    let error: any Error
}
