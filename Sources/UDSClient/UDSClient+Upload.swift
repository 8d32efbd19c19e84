import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension UDSClient {
    /// Uploads the file at `path` as `name`.
    ///
    /// Files up to ``ClientConfiguration/resumableThreshold`` go up as one multipart `POST`, streamed
    /// from disk with the MD5 computed while the bytes are read (sent as the form's last part). Larger
    /// files use the resumable (tus) protocol: the MD5 is computed first (tus needs it at creation),
    /// then the file goes up in ``ClientConfiguration/resumableChunkBytes`` chunks, each with its own
    /// `Upload-Checksum`; a chunk cut off by the network continues from the offset the node reports.
    /// An existing file of that name is replaced.
    /// - Parameters:
    ///   - path: The local file.
    ///   - name: The stored name (the file's last path component when `nil`).
    ///   - contentType: The stored content type.
    ///   - expectedMD5: The MD5 the file is known to have (32 hex digits); sent instead of the one computed
    ///     while reading, so the node refuses (`409 CHECKSUM_MISMATCH`) bytes that are not that file.
    ///   - progress: Called after every chunk.
    /// - Returns: The stored file's record.
    /// - Throws: ``ClientError`` (`CHECKSUM_MISMATCH` 409, `PAYLOAD_TOO_LARGE`/`QUOTA_EXCEEDED` 413,
    ///   `INVALID_FILE_NAME` 400 …), `CancellationError`.
    public func upload(
        file path: String, name: String? = nil, contentType: String = "application/octet-stream",
        expectedMD5: String? = nil, progress: ProgressHandler? = nil
    ) async throws -> StoredFile {
        let name = name ?? URL(fileURLWithPath: path).lastPathComponent
        let size = try LocalFile.size(of: path)
        if size > configuration.resumableThreshold {
            return try await uploadResumable(
                file: path, name: name, size: size, contentType: contentType, expectedMD5: expectedMD5,
                progress: progress)
        }
        let body = MultipartFileBody(
            path: path, name: name, size: size, contentType: contentType, progress: progress,
            bytesPerSecond: configuration.maxBytesPerSecond, expectedMD5: expectedMD5?.lowercased())
        let answer = try await sendForBody {
            var request = HTTPClientRequest(
                node: .upload, path: "/upload_download_service/upload", method: .POST, configuration: configuration)
            request.headers.add(name: "Content-Type", value: body.headerValue)
            request.body = .stream(body, length: .known(body.length))
            return request
        }
        return try Self.decode(StoredFile.self, from: answer)
    }
}
