import Crypto
import Foundation
import NIOCore

/// The `multipart/form-data` body of an upload, streamed from the file: the `file` part first, then
/// the `md5` part, whose value is the MD5 computed while the file's bytes went out (one read of the file).
struct MultipartFileBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let path: String
    let name: String
    let size: Int64
    let contentType: String
    let boundary: String
    let progress: ProgressHandler?
    let bytesPerSecond: Int?
    /// Sent instead of the computed MD5 when set (the caller vouches for the bytes).
    let expectedMD5: String?

    init(
        path: String, name: String, size: Int64, contentType: String, progress: ProgressHandler?, bytesPerSecond: Int?,
        expectedMD5: String?
    ) {
        self.expectedMD5 = expectedMD5
        self.path = path
        self.name = name
        self.size = size
        self.contentType = contentType
        self.boundary = "uds-" + UUID().uuidString
        self.progress = progress
        self.bytesPerSecond = bytesPerSecond
    }

    /// The request's `Content-Type`.
    var headerValue: String { "multipart/form-data; boundary=\(boundary)" }

    var head: String {
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; \(Self.filenameParameters(name))\r\n"
            + "Content-Type: \(contentType)\r\n\r\n"
    }

    func tail(md5: String) -> String {
        "\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"md5\"\r\n\r\n\(md5)\r\n--\(boundary)--\r\n"
    }

    /// The whole body's length (the MD5's 32 hex digits are a fixed width).
    var length: Int64 {
        Int64(head.utf8.count) + size + Int64(tail(md5: expectedMD5 ?? String(repeating: "0", count: 32)).utf8.count)
    }

    /// `filename="…"` (an ASCII fallback), plus RFC 8187 `filename*=UTF-8''…` when the name needs it.
    static func filenameParameters(_ name: String) -> String {
        let fallback = String(
            name.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\"
                    ? Character(scalar) : "_"
            })
        if fallback == name { return "filename=\"\(name)\"" }
        return "filename=\"\(fallback)\"; filename*=UTF-8''\(PathSegment.encode(name))"
    }

    func makeAsyncIterator() -> Iterator { Iterator(body: self) }

    /// Reads the file chunk by chunk while the request is sent.
    struct Iterator: AsyncIteratorProtocol {
        enum Stage {
            case head
            case file(FileHandle)
            case done
        }

        let body: MultipartFileBody
        var stage = Stage.head
        var hasher = Insecure.MD5()
        var sent: Int64 = 0
        let pacer: TransferPacer

        init(body: MultipartFileBody) {
            self.body = body
            self.pacer = TransferPacer(bytesPerSecond: body.bytesPerSecond)
        }

        mutating func next() async throws -> ByteBuffer? {
            switch stage {
            case .head:
                stage = .file(try LocalFile.openForReading(body.path))
                return ByteBuffer(string: body.head)
            case .file(let handle):
                try await pacer.pace(transferred: sent)
                let data = try LocalFile.read(handle, count: LocalFile.readChunk, path: body.path)
                if data.isEmpty {
                    try? handle.close()
                    stage = .done
                    guard sent == body.size else {
                        throw ClientError.localFile(path: body.path, reason: "file changed size while it was read")
                    }
                    return ByteBuffer(string: body.tail(md5: body.expectedMD5 ?? LocalFile.hex(hasher.finalize())))
                }
                sent += Int64(data.count)
                guard sent <= body.size else {
                    throw ClientError.localFile(path: body.path, reason: "file changed size while it was read")
                }
                hasher.update(data: data)
                body.progress?(
                    TransferProgress(
                        name: body.name, completedBytes: sent, totalBytes: body.size, transferredBytes: sent))
                return ByteBuffer(bytes: data)
            case .done:
                return nil
            }
        }
    }
}
