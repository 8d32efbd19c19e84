import CoreStore
import Hummingbird
import NIOCore

/// Streams a request body into a spool file, never holding it in memory: raw bodies as they
/// are, `multipart/form-data` bodies through ``FormUploadReader`` (only the `file` part's bytes
/// reach the file). MD5/XXH3, the size limit and the part cutting are applied per chunk; each
/// complete part is offered to the ``MultipartPipeline`` at once.
enum BodyReceiver {
    /// What the multipart form said besides the file bytes.
    struct FormFields: Sendable {
        var fileName: FileName
        var contentType: FileContentType?
        var md5Text: String?
    }

    /// What bounds one body besides its bytes: the size limit, the node's reservation budget and
    /// the minimum rate.
    struct Limits {
        var maxBytes: Int64
        var partBytes: Int64
        var declaredLength: Int64?
        var reservations: SpoolReservationBudget
        var minimumBytesPerSecond: Int64
        var rateWindowSeconds: Double
    }

    /// A spooled body and its last (partial) part, not yet offered to the pipeline.
    struct Received {
        var body: SpooledBody
        var lastPart: SpooledPart?
    }

    /// Writes a raw body to `path`.
    /// - Throws: `.payloadTooLarge`, `.requestTimeout`, `.insufficientStorage`, object-store errors
    ///   of parts, or the body's read error.
    static func receiveRaw(
        _ body: RequestBody, to path: String, limits: Limits, pipeline: MultipartPipeline
    ) async throws -> Received {
        var sink = try SpoolSink(path: path, limits: limits, pipeline: pipeline)
        for try await chunk in body {
            try sink.arrived(chunk)
            try await sink.write(chunk)
        }
        return await sink.finish(path: path)
    }

    /// Writes the `file` part of a `multipart/form-data` body to `path`.
    ///
    /// Every body byte counts: the file part against `limits.maxBytes`, and the whole body
    /// (preamble, part headers, other parts, epilogue) against `formBodyLimit`, whether or not a
    /// length was declared, and against the minimum rate.
    /// - Throws: `.malformedMultipart`, `.missingFilePart`, `.invalidFileName`, `.invalidContentType`,
    ///   `.payloadTooLarge`, `.requestTimeout`, `.insufficientStorage`, ...
    static func receiveForm(
        _ body: RequestBody, contentType: String, to path: String, limits: Limits, formBodyLimit: Int64,
        pipeline: MultipartPipeline
    ) async throws -> (Received, FormFields) {
        var sink = try SpoolSink(path: path, limits: limits, pipeline: pipeline)
        var reader = try FormUploadReader(contentType: contentType)
        var fileName: FileName?
        var fileContentType: FileContentType?
        var bodyBytes: Int64 = 0
        for try await chunk in body {
            try sink.arrived(chunk)
            bodyBytes += Int64(chunk.readableBytes)
            guard bodyBytes <= formBodyLimit else { throw CoreStoreError(.payloadTooLarge) }
            let slices = try reader.feed(chunk)
            if fileName == nil, let raw = reader.fileName {
                fileName = try FileName(validating: raw)  // before the file's bytes are spooled
                fileContentType = try reader.fileContentType.map { value throws(CoreStoreError) in
                    try FileContentType(validating: value)
                }
            }
            for slice in slices {
                try await sink.write(slice)
            }
        }
        try reader.finish()
        guard let fileName else { throw CoreStoreError(.missingFilePart) }
        let fields = FormFields(fileName: fileName, contentType: fileContentType, md5Text: reader.md5Text)
        return (await sink.finish(path: path), fields)
    }
}

/// The per-upload accounting between the body and the spool file.
private struct SpoolSink {
    var meter: UploadDigestMeter
    var parts: PartTracker
    var rate: TransferRateGuard
    let file: SpoolFile
    let pipeline: MultipartPipeline

    init(path: String, limits: BodyReceiver.Limits, pipeline: MultipartPipeline) throws {
        meter = UploadDigestMeter(limit: limits.maxBytes)
        parts = PartTracker(
            partBytes: limits.partBytes, hashing: pipeline.expectsMultipart(declaredLength: limits.declaredLength))
        rate = TransferRateGuard(
            minimumBytesPerSecond: limits.minimumBytesPerSecond, windowSeconds: limits.rateWindowSeconds,
            start: .now)
        file = try SpoolFile(path: path, expectedBytes: limits.declaredLength, budget: limits.reservations)
        self.pipeline = pipeline
    }

    /// Counts a chunk of the request body (every byte, whatever part of a form it belongs to)
    /// against the minimum rate.
    mutating func arrived(_ chunk: ByteBuffer) throws(CoreStoreError) {
        try rate.record(bytes: chunk.readableBytes, at: .now)
    }

    mutating func write(_ slice: ByteBuffer) async throws {
        try await meter.consume(slice)
        try file.append(slice)
        for part in parts.consume(slice) { try await pipeline.offer(part) }
    }

    mutating func finish(path: String) async -> BodyReceiver.Received {
        file.releaseUnusedReservation()
        return BodyReceiver.Received(body: await meter.finish(path: path), lastPart: parts.finish())
    }
}
