public import NIOCore

/// Reads the upload form (`file` part with a `filename`, `md5` text part, either order) from a
/// streamed `multipart/form-data` body: the file's bytes are handed back as they arrive, the `md5`
/// text is collected, other parts are skipped (text parts bounded by the parser's limit).
///
/// Usable from an async loop — `feed` is synchronous and returns the file slices, so the caller can
/// `await` between chunks:
/// ```swift
/// var reader = try FormUploadReader(contentType: contentType)
/// for try await chunk in body {
///     for slice in try reader.feed(chunk) { md5.update(slice); try await spool.write(slice) }
/// }
/// try reader.finish()
/// ```
/// ``fileName`` and ``fileContentType`` are set before the first file slice is returned, so the
/// caller can validate the name before writing anything; ``md5Text`` is known at the latest after
/// ``finish()``.
public struct FormUploadReader: Sendable {
    /// The form field holding the file.
    public static let filePartName = "file"
    /// The form field holding the client's MD5.
    public static let checksumPartName = "md5"

    private var parser: StreamingMultipartParser
    private var form: FormUploadState

    /// The `file` part's file name as sent (the caller validates it, e.g. with `FileName(validating:)`).
    public var fileName: String? { form.fileName }
    /// The `file` part's `Content-Type`, if it had one.
    public var fileContentType: String? { form.fileContentType }
    /// The `md5` part's text with surrounding whitespace removed, once that part has ended.
    public var md5Text: String? { form.md5Text }
    /// Whether a `file` part (with a `filename`) has begun.
    public var hasFilePart: Bool { form.hasFilePart }
    /// The number of file bytes returned so far.
    public var fileByteCount: Int64 { form.fileByteCount }

    /// Creates a reader for a body with this `Content-Type`.
    /// - Parameters:
    ///   - contentType: The request's `Content-Type` value (`multipart/form-data; boundary=…`).
    ///   - maxParts: The most parts accepted (default 16).
    ///   - maxChecksumBytes: The largest `md5` part, and of any other text part (default 4 KiB).
    /// - Throws: `CoreStoreError(.malformedMultipart)` when the content type has no valid boundary.
    public init(contentType: String, maxParts: Int = 16, maxChecksumBytes: Int = 4 * 1024) throws(CoreStoreError) {
        self.init(
            boundary: try MultipartBoundary(contentType: contentType), maxParts: maxParts,
            maxChecksumBytes: maxChecksumBytes)
    }

    /// Creates a reader for a body with this boundary.
    /// - Parameters:
    ///   - boundary: The body's boundary.
    ///   - maxParts: The most parts accepted (default 16).
    ///   - maxChecksumBytes: The largest `md5` part, and of any other text part (default 4 KiB).
    public init(boundary: MultipartBoundary, maxParts: Int = 16, maxChecksumBytes: Int = 4 * 1024) {
        self.parser = StreamingMultipartParser(
            boundary: boundary, maxParts: maxParts, maxTextPartBytes: maxChecksumBytes)
        self.form = FormUploadState(maxChecksumBytes: maxChecksumBytes)
    }

    /// Parses one chunk, passing each slice of file bytes to `fileBytes` in order.
    /// - Throws: `CoreStoreError(.malformedMultipart)` for a malformed body, a second `file` or `md5`
    ///   part or an oversized `md5` part; `.invalidChecksum` when the `md5` part is not UTF-8;
    ///   whatever `fileBytes` throws.
    public mutating func feed(_ chunk: ByteBuffer, fileBytes: (ByteBuffer) throws -> Void) throws {
        // The form state moves into a local so the event closure does not capture `self`
        // (which `parser.feed` is mutating); the placeholder left behind holds no storage.
        var form = self.form
        self.form = FormUploadState(maxChecksumBytes: 0)
        defer { self.form = form }
        try parser.feed(chunk) { event in try form.handle(event, fileBytes: fileBytes) }
    }

    /// Parses one chunk and returns the file bytes it held (slices of `chunk`, usually one).
    /// - Throws: As ``feed(_:fileBytes:)``.
    public mutating func feed(_ chunk: ByteBuffer) throws(CoreStoreError) -> [ByteBuffer] {
        var slices: [ByteBuffer] = []
        do {
            try feed(chunk) { slices.append($0) }
        } catch let error as CoreStoreError {
            throw error
        } catch {
            throw CoreStoreError(.internalError)  // unreachable: the closure does not throw
        }
        return slices
    }

    /// Checks the body ended properly and held a file; call it after the last chunk.
    /// - Throws: `CoreStoreError(.malformedMultipart)` when the closing boundary is missing;
    ///   `.missingFilePart` when there was no `file` part with a `filename`.
    public func finish() throws(CoreStoreError) {
        try parser.finish()
        guard form.hasFilePart else { throw CoreStoreError(.missingFilePart) }
    }
}
