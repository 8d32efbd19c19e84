import CoreStore
import Hummingbird
import NIOCore
import _NIOFileSystem

/// Streams a request body into a spool file, never holding it in memory: raw bodies as they
/// are, `multipart/form-data` bodies through ``FormUploadReader`` (only the `file` part's bytes
/// reach the file). MD5/XXH3, the size limit and the part cutting are applied per chunk; each
/// complete part is flushed and offered to the ``MultipartPipeline`` at once.
enum BodyReceiver {
    /// What the multipart form said besides the file bytes.
    struct FormFields: Sendable {
        var fileName: FileName
        var contentType: String?
        var md5Text: String?
    }

    /// A spooled body and its last (partial) part, not yet offered to the pipeline.
    struct Received {
        var body: SpooledBody
        var lastPart: SpooledPart?
    }

    /// Writes a raw body to `path`.
    /// - Throws: `.payloadTooLarge`, `.insufficientStorage`, object-store errors of parts, or the body's read error.
    static func receiveRaw(
        _ body: RequestBody, to path: String, limit: Int64, partBytes: Int64, pipeline: MultipartPipeline
    ) async throws -> Received {
        var sink = SpoolSink(limit: limit, partBytes: partBytes, pipeline: pipeline)
        try await withSpoolWriter(path: path) { writer in
            for try await chunk in body {
                try await sink.write(chunk, to: &writer)
            }
        }
        return sink.finish(path: path)
    }

    /// Writes the `file` part of a `multipart/form-data` body to `path`.
    /// - Throws: `.malformedMultipart`, `.missingFilePart`, `.payloadTooLarge`, `.insufficientStorage`, ...
    static func receiveForm(
        _ body: RequestBody, contentType: String, to path: String, limit: Int64, partBytes: Int64,
        pipeline: MultipartPipeline
    ) async throws -> (Received, FormFields) {
        var sink = SpoolSink(limit: limit, partBytes: partBytes, pipeline: pipeline)
        var reader = try FormUploadReader(contentType: contentType)
        var fileName: FileName?
        try await withSpoolWriter(path: path) { writer in
            for try await chunk in body {
                let slices = try reader.feed(chunk)
                if fileName == nil, let raw = reader.fileName {
                    fileName = try FileName(validating: raw)  // before the file's bytes are spooled
                }
                for slice in slices {
                    try await sink.write(slice, to: &writer)
                }
            }
            try reader.finish()
        }
        guard let fileName else { throw CoreStoreError(.missingFilePart) }
        let fields = FormFields(fileName: fileName, contentType: reader.fileContentType, md5Text: reader.md5Text)
        return (sink.finish(path: path), fields)
    }

    private static func withSpoolWriter(
        path: String, _ body: (inout BufferedWriter<WriteFileHandle>) async throws -> Void
    ) async throws {
        do {
            // Not transactional: parts are read from the spool file by path while it is still written.
            let options = OpenOptions.Write(
                existingFile: .truncate, newFile: .init(permissions: nil, transactionalCreation: false))
            try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(path), options: options) { handle in
                try await handle.withBufferedWriter(capacity: .kibibytes(512)) { writer in
                    try await body(&writer)
                }
            }
        } catch is FileSystemError {
            throw CoreStoreError(.insufficientStorage)
        }
    }
}

/// The per-upload accounting between the body and the spool file.
private struct SpoolSink {
    var meter: UploadDigestMeter
    var parts: PartTracker
    let pipeline: MultipartPipeline

    init(limit: Int64, partBytes: Int64, pipeline: MultipartPipeline) {
        meter = UploadDigestMeter(limit: limit)
        parts = PartTracker(partBytes: partBytes)
        self.pipeline = pipeline
    }

    mutating func write(_ slice: ByteBuffer, to writer: inout BufferedWriter<WriteFileHandle>) async throws {
        try meter.consume(slice)
        try await writer.write(contentsOf: slice)
        let completed = parts.consume(slice)
        guard !completed.isEmpty else { return }
        try await writer.flush()
        for part in completed { try await pipeline.offer(part) }
    }

    mutating func finish(path: String) -> BodyReceiver.Received {
        BodyReceiver.Received(body: meter.finish(path: path), lastPart: parts.finish())
    }
}
