import NIOCore

/// What ``FormUploadReader`` has learned so far, and which part it is in; it turns parser events
/// into file slices and the collected `md5` text.
struct FormUploadState: Sendable {
    private enum Current: Sendable { case none, file, checksum, ignored }

    let maxChecksumBytes: Int
    private var current = Current.none
    private var checksumBytes: [UInt8] = []
    private var checksumSeen = false
    private(set) var fileName: String?
    private(set) var fileContentType: String?
    private(set) var md5Text: String?
    private(set) var hasFilePart = false
    private(set) var fileByteCount: Int64 = 0

    init(maxChecksumBytes: Int) {
        self.maxChecksumBytes = maxChecksumBytes
    }

    /// Applies one parser event; file bytes go to `fileBytes`.
    mutating func handle(_ event: MultipartEvent, fileBytes: (ByteBuffer) throws -> Void) throws {
        switch event {
        case .partBegin(let headers):
            try begin(headers)
        case .bodyChunk(let bytes):
            switch current {
            case .file:
                fileByteCount += Int64(bytes.readableBytes)
                try fileBytes(bytes)
            case .checksum:
                guard checksumBytes.count + bytes.readableBytes <= maxChecksumBytes else {
                    throw CoreStoreError(.malformedMultipart, "md5 part too large")
                }
                checksumBytes.append(contentsOf: bytes.readableBytesView)
            case .none, .ignored:
                break
            }
        case .partEnd:
            try end()
        }
    }

    private mutating func begin(_ headers: MultipartPartHeaders) throws(CoreStoreError) {
        switch headers.name {
        case FormUploadReader.filePartName where headers.filename != nil:
            guard !hasFilePart else { throw CoreStoreError(.malformedMultipart, "more than one file part") }
            hasFilePart = true
            fileName = headers.filename
            fileContentType = headers.contentType
            current = .file
        case FormUploadReader.checksumPartName:
            guard !checksumSeen else { throw CoreStoreError(.malformedMultipart, "more than one md5 part") }
            checksumSeen = true
            current = .checksum
        default:
            current = .ignored
        }
    }

    private mutating func end() throws(CoreStoreError) {
        if current == .checksum {
            guard let text = String(validating: checksumBytes, as: UTF8.self) else {
                throw CoreStoreError(.invalidChecksum)
            }
            md5Text = Self.trimmingWhitespace(text)
            checksumBytes = []
        }
        current = .none
    }

    private static func trimmingWhitespace(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
