public import CoreStore
import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Renders every error as the contract's JSON body `{"error": "...", "code": "..."}`.
public enum ErrorResponse {
    /// The response for a `CoreStoreError` (with `Retry-After` when a retry is invited).
    public static func response(for error: CoreStoreError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let seconds = error.code.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        return Response(status: error.code.httpStatus, headers: headers, body: .init(byteBuffer: body(for: error)))
    }

    /// The JSON body bytes.
    public static func body(for error: CoreStoreError) -> ByteBuffer {
        let payload = ["error": error.message, "code": error.code.rawValue]
        let data =
            (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return ByteBuffer(bytes: data)
    }

    /// Maps any error to a `CoreStoreError`: Hummingbird's own errors keep their status family.
    public static func coreStoreError(from error: any Error) -> CoreStoreError {
        if let error = error as? CoreStoreError { return error }
        if let error = error as? HTTPError {
            switch error.status {
            case .notFound, .methodNotAllowed: return CoreStoreError(.routeNotFound)
            case .contentTooLarge: return CoreStoreError(.payloadTooLarge)
            case .forbidden, .unauthorized: return CoreStoreError(.invalidCredentials)
            case .serviceUnavailable: return CoreStoreError(.shuttingDown)
            default:
                if error.status.code < 500 { return CoreStoreError(.badRequest, error.body ?? "bad request") }
            }
        }
        if isClientGone(error) { return CoreStoreError(.clientClosedRequest) }
        if let error = error as? HTTPParserError { return RequestFramingHandler.storeError(for: error) }
        return CoreStoreError(.internalError)
    }

    /// Whether `error` is how a request's body stream ends when the client went away mid-request:
    /// end of input before the body was complete, a reset, or I/O on the closed channel.
    static func isClientGone(_ error: any Error) -> Bool {
        switch error {
        case HTTPParserError.invalidEOFState: true
        case let error as ChannelError:
            error == .eof || error == .ioOnClosedChannel || error == .inputClosed || error == .alreadyClosed
        case let error as IOError: error.errnoCode == ECONNRESET || error.errnoCode == EPIPE
        default: false
        }
    }
}
