import CoreStore
import Hummingbird
import NIOCore
import _NIOFileSystem

/// Streams a request body into a spool file, never holding it in memory: raw bodies as they
/// are, `multipart/form-data` bodies through ``FormUploadReader`` (only the `file` part's
/// bytes reach the file). MD5/XXH3 and the size limit are applied per chunk.
enum BodyReceiver {
    /// What the multipart form said besides the file bytes.
    struct FormFields: Sendable {
        var fileName: String?
        var contentType: String?
        var md5Text: String?
    }

    /// Writes a raw body to `path`.
    /// - Throws: `.payloadTooLarge`, `.insufficientStorage`, or the body's read error.
    static func receiveRaw(_ body: RequestBody, to path: String, limit: Int64) async throws -> SpooledBody {
        var meter = UploadDigestMeter(limit: limit)
        try await withSpoolWriter(path: path) { writer in
            for try await chunk in body {
                try meter.consume(chunk)
                try await writer.write(contentsOf: chunk)
            }
        }
        return meter.finish(path: path)
    }

    /// Writes the `file` part of a `multipart/form-data` body to `path`.
    /// - Throws: `.malformedMultipart`, `.missingFilePart`, `.payloadTooLarge`, `.insufficientStorage`.
    static func receiveForm(
        _ body: RequestBody, contentType: String, to path: String, limit: Int64
    ) async throws -> (SpooledBody, FormFields) {
        var meter = UploadDigestMeter(limit: limit)
        var reader = try FormUploadReader(contentType: contentType)
        try await withSpoolWriter(path: path) { writer in
            for try await chunk in body {
                for slice in try reader.feed(chunk) {
                    try meter.consume(slice)
                    try await writer.write(contentsOf: slice)
                }
            }
            try reader.finish()
        }
        let fields = FormFields(fileName: reader.fileName, contentType: reader.fileContentType, md5Text: reader.md5Text)
        return (meter.finish(path: path), fields)
    }

    private static func withSpoolWriter(
        path: String, _ body: (inout BufferedWriter<WriteFileHandle>) async throws -> Void
    ) async throws {
        do {
            try await FileSystem.shared.withFileHandle(
                forWritingAt: FilePath(path), options: .newFile(replaceExisting: true)
            ) { handle in
                try await handle.withBufferedWriter(capacity: .kibibytes(512)) { writer in
                    try await body(&writer)
                }
            }
        } catch let error as FileSystemError {
            _ = error
            throw CoreStoreError(.insufficientStorage)
        }
    }
}
