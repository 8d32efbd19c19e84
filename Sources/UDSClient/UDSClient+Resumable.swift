import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension UDSClient {
    /// How many times one upload re-asks the node for its offset after a `PATCH` was cut off or raced.
    static let resumableRecoveries = 5

    /// A tus 1.0 upload (docs/api.md, "Resumable uploads"): creation with `filename`, `md5` and
    /// `filetype` metadata, then `PATCH`es with `Upload-Checksum: md5`; a failed `PATCH` goes on from
    /// the offset a `HEAD` reports. The `PATCH` that completes the file commits it (its `204` means durable).
    func uploadResumable(
        file path: String, name: String, size: Int64, contentType: String, expectedMD5: String?,
        progress: ProgressHandler?
    ) async throws -> StoredFile {
        var whole = Insecure.MD5()
        try LocalFile.hash(path, into: &whole)
        let md5 = expectedMD5?.lowercased() ?? LocalFile.hex(whole.finalize())
        let metadata = [("filename", name), ("md5", md5), ("filetype", contentType)]
            .map { "\($0.0) \(Data($0.1.utf8).base64EncodedString())" }.joined(separator: ",")
        let created = try await send(expecting: [201]) {
            var request = HTTPClientRequest(
                node: .upload, path: "/upload_download_service/uploads", method: .POST, configuration: configuration)
            request.headers.add(name: "Tus-Resumable", value: "1.0.0")
            request.headers.add(name: "Upload-Length", value: String(size))
            request.headers.add(name: "Upload-Metadata", value: metadata)
            return request
        }
        _ = try await Self.collect(created.body, limit: 64 * 1024)
        guard let location = created.headers.first(name: "Location"),
            let uploadURL = URL(string: location, relativeTo: URL(string: configuration.uploadURL))?.absoluteString
        else { throw ClientError.invalidResponse("tus creation without a Location") }

        let handle = try LocalFile.openForReading(path)
        defer { try? handle.close() }
        let pacer = TransferPacer(bytesPerSecond: configuration.maxBytesPerSecond)
        var offset: Int64 = 0
        var transferred: Int64 = 0
        var recoveries = 0
        while offset < size {
            try await pacer.pace(transferred: transferred)
            do { try handle.seek(toOffset: UInt64(offset)) } catch {
                throw ClientError.localFile(path: path, reason: "seek failed: \(error.localizedDescription)")
            }
            let count = Int(min(Int64(configuration.resumableChunkBytes), size - offset))
            let chunk = try LocalFile.read(handle, count: count, path: path)
            guard chunk.count == count else {
                throw ClientError.localFile(path: path, reason: "file changed size while it was read")
            }
            let checksum = Data(Insecure.MD5.hash(data: chunk)).base64EncodedString()
            do {
                let answer = try await send(expecting: [204]) {
                    var request = HTTPClientRequest(url: uploadURL)
                    request.method = .PATCH
                    request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
                    request.headers.add(name: "Tus-Resumable", value: "1.0.0")
                    request.headers.add(name: "Upload-Offset", value: String(offset))
                    request.headers.add(name: "Content-Type", value: "application/offset+octet-stream")
                    request.headers.add(name: "Upload-Checksum", value: "md5 \(checksum)")
                    request.body = .bytes(ByteBuffer(bytes: chunk))
                    return request
                }
                _ = try await Self.collect(answer.body, limit: 64 * 1024)
                guard let next = answer.headers.first(name: "Upload-Offset").flatMap(Int64.init) else {
                    throw ClientError.invalidResponse("tus PATCH without Upload-Offset")
                }
                transferred += next - offset
                offset = next
            } catch let error as ClientError where Self.isRecoverable(error) && recoveries < Self.resumableRecoveries {
                recoveries += 1
                offset = try await resumableOffset(uploadURL)
            }
            progress?(
                TransferProgress(name: name, completedBytes: offset, totalBytes: size, transferredBytes: transferred))
        }
        return StoredFile(name: name, fileID: nil, size: size, md5: md5, createdAt: nil)
    }

    /// A cut-off `PATCH` (the node keeps what arrived) or one that raced another (`409 UPLOAD_OFFSET_MISMATCH`).
    static func isRecoverable(_ error: ClientError) -> Bool {
        switch error {
        case .transport: true
        case .service(let failure):
            failure.code == .uploadOffsetMismatch || failure.code.rawValue == "UPLOAD_CHECKSUM_MISMATCH"
        default: false
        }
    }

    /// The upload's offset as the node has it (`HEAD`).
    func resumableOffset(_ uploadURL: String) async throws -> Int64 {
        let answer = try await send {
            var request = HTTPClientRequest(url: uploadURL)
            request.method = .HEAD
            request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
            request.headers.add(name: "Tus-Resumable", value: "1.0.0")
            return request
        }
        guard let offset = answer.headers.first(name: "Upload-Offset").flatMap(Int64.init) else {
            throw ClientError.invalidResponse("tus HEAD without Upload-Offset")
        }
        return offset
    }
}
