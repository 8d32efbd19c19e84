import Foundation
public import HTTPTypes
public import Hummingbird
import NIOCore

/// JSON success bodies.
public enum JSONResponse {
    /// A 200 (or `status`) JSON response of an encodable value.
    /// - Throws: Encoding errors (never for the service's own types).
    public static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
