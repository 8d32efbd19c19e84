public import Foundation
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

/// RFC 3339 timestamps with milliseconds, UTC.
public enum ISO8601Timestamp {
    /// `2026-11-30T01:02:03.456Z`.
    public static func string(from date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
