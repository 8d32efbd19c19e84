public import NIOCore

/// Builds `multipart/form-data` bodies the way browsers and curl do.
public enum MultipartBody {
    /// The boundary used by ``make(fileName:file:md5:md5First:)``.
    public static let boundary = "----udsTestBoundary7MA4YWxkTrZu0gW"

    /// The `Content-Type` header value.
    public static var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// A body with a `file` part (when `file` is given) and an `md5` part (when `md5` is given).
    public static func make(
        fileName: String?, file: [UInt8]?, md5: String?, md5First: Bool = false,
        fileContentType: String = "application/octet-stream"
    ) -> ByteBuffer {
        var parts: [[UInt8]] = []
        let md5Part = md5.map { Array("Content-Disposition: form-data; name=\"md5\"\r\n\r\n\($0)".utf8) }
        if md5First, let md5Part { parts.append(md5Part) }
        if let file {
            let disposition = fileName.map { "; filename=\"\($0)\"" } ?? ""
            var part = Array(
                "Content-Disposition: form-data; name=\"file\"\(disposition)\r\nContent-Type: \(fileContentType)\r\n\r\n"
                    .utf8)
            part += file
            parts.append(part)
        }
        if !md5First, let md5Part { parts.append(md5Part) }
        var buffer = ByteBuffer()
        for part in parts {
            buffer.writeString("--\(boundary)\r\n")
            buffer.writeBytes(part)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return buffer
    }

    /// Deterministic pseudo-random bytes (includes CR, LF and `-` often enough to stress parsers).
    public static func randomBytes(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        return bytes
    }
}
