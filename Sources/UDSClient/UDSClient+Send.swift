import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Which node a request goes to.
enum ServiceNode {
    case upload, download
}

extension HTTPClientRequest {
    /// A request to `path` on `node`, with the bearer token.
    init(node: ServiceNode, path: String, method: HTTPMethod, configuration: ClientConfiguration) {
        var base = node == .upload ? configuration.uploadURL : configuration.downloadURL
        while base.hasSuffix("/") { base.removeLast() }
        self.init(url: base + path)
        self.method = method
        self.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
    }
}

extension UDSClient {
    /// Sends the request `make` builds (once per attempt, so streamed bodies start afresh), retrying
    /// `503`/`429` by the policy; returns the first answer whose status is in `expecting`.
    func send(
        expecting: Set<Int> = [200], _ make: () throws -> HTTPClientRequest
    ) async throws -> HTTPClientResponse {
        var attempt = 0
        while true {
            let request = try make()
            let response: HTTPClientResponse
            do {
                response = try await httpClient.execute(request, deadline: .distantFuture)
            } catch {
                throw Self.translate(error)
            }
            let status = Int(response.status.code)
            if expecting.contains(status) { return response }
            let body = try await Self.collect(response.body, limit: 64 * 1024)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { RetryPolicy.seconds(retryAfter: $0) }
            let failure = ServiceError(status: status, body: body, retryAfter: retryAfter)
            guard RetryPolicy.isRetryable(status: status),
                let delay = configuration.retry.delay(beforeRetry: attempt, retryAfter: retryAfter)
            else { throw ClientError.service(failure) }
            attempt += 1
            try await Task.sleep(for: .seconds(delay))
        }
    }

    /// ``send(expecting:_:)`` for a `200` answer whose whole body is wanted (JSON, at most 8 MiB).
    func sendForBody(_ make: () throws -> HTTPClientRequest) async throws -> Data {
        let response = try await send(make)
        return try await Self.collect(response.body, limit: 8 * 1024 * 1024)
    }

    /// The body's bytes, up to `limit`.
    static func collect(_ body: HTTPClientResponse.Body, limit: Int) async throws -> Data {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch {
            throw translate(error)
        }
    }

    /// A transport failure as a ``ClientError`` (or `CancellationError` when the task was cancelled).
    static func translate(_ error: any Error) -> any Error {
        if error is ClientError || error is CancellationError { return error }
        if Task.isCancelled { return CancellationError() }
        if let clientError = error as? HTTPClientError, clientError == .cancelled { return CancellationError() }
        return ClientError.transport(String(describing: error))
    }
}
