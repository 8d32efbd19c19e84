import CoreStore
import NIOCore
import Testing

@Suite("Form upload reader")
struct FormUploadReaderTests {
    static let contentType = "multipart/form-data; boundary=b"

    /// Feeds `body` in chunks of `size`, returns the reader and the file bytes.
    static func read(_ body: [UInt8], size: Int = 7) throws -> (FormUploadReader, [UInt8]) {
        var reader = try FormUploadReader(contentType: contentType)
        var file: [UInt8] = []
        for chunk in MultipartTesting.chunks(body, size: size) {
            let slices = try reader.feed(ByteBuffer(bytes: chunk))
            if !slices.isEmpty { #expect(reader.fileName != nil) }  // known before the first byte
            for slice in slices { file += slice.readableBytesView }
        }
        try reader.finish()
        return (reader, file)
    }

    @Test(arguments: [true, false])
    func readsFileAndChecksumInEitherOrder(checksumFirst: Bool) throws {
        let content = Array("file\r\n--b-content".utf8)
        let file = MultipartTesting.Part.file(content, filename: "notes.txt")
        let md5 = MultipartTesting.Part.text("md5", " 0123456789abcdef0123456789abcdef\r\n")
        let other = MultipartTesting.Part.text("comment", "ignored")
        let parts = checksumFirst ? [md5, other, file] : [file, other, md5]
        let (reader, bytes) = try Self.read(MultipartTesting.body(boundary: "b", parts))
        #expect(bytes == content)
        #expect(reader.fileName == "notes.txt")
        #expect(reader.fileContentType == "application/octet-stream")
        #expect(reader.md5Text == "0123456789abcdef0123456789abcdef")
        #expect(reader.fileByteCount == Int64(content.count))
    }

    @Test func missingFilePart() {
        let body = MultipartTesting.body(boundary: "b", [.text("md5", "x"), .text("file", "no filename")])
        #expect(throws: CoreStoreError(.missingFilePart)) { try Self.read(body) }
    }

    @Test func twoFilePartsAreMalformed() {
        let body = MultipartTesting.body(boundary: "b", [.file([1]), .file([2])])
        #expect { try Self.read(body) } throws: { ($0 as? CoreStoreError)?.code == .malformedMultipart }
    }

    @Test func twoChecksumPartsAreMalformed() {
        let body = MultipartTesting.body(boundary: "b", [.file([1]), .text("md5", "a"), .text("md5", "b")])
        #expect { try Self.read(body) } throws: { ($0 as? CoreStoreError)?.code == .malformedMultipart }
    }

    @Test func oversizedChecksumPartIsMalformed() {
        let md5 = MultipartTesting.Part(
            headers: "Content-Disposition: form-data; name=\"md5\"; filename=\"m.txt\"",
            content: [UInt8](repeating: 0x61, count: 5000))
        let body = MultipartTesting.body(boundary: "b", [.file([1]), md5])
        #expect { try Self.read(body, size: 1000) } throws: { ($0 as? CoreStoreError)?.code == .malformedMultipart }
    }

    @Test func nonUTF8ChecksumIsInvalid() {
        let md5 = MultipartTesting.Part(headers: "Content-Disposition: form-data; name=\"md5\"", content: [0xFF])
        let body = MultipartTesting.body(boundary: "b", [.file([1]), md5])
        #expect(throws: CoreStoreError(.invalidChecksum)) { try Self.read(body) }
    }

    @Test func truncatedBodyIsMalformed() {
        let body = MultipartTesting.body(boundary: "b", [.file([1, 2, 3])])
        #expect { try Self.read(Array(body.dropLast(4))) } throws: {
            ($0 as? CoreStoreError)?.code == .malformedMultipart
        }
    }

    @Test func sinkErrorsPropagate() throws {
        struct SinkFailed: Error {}
        var reader = try FormUploadReader(contentType: Self.contentType)
        let body = MultipartTesting.body(boundary: "b", [.file([1, 2, 3])])
        #expect(throws: SinkFailed.self) { try reader.feed(ByteBuffer(bytes: body)) { _ in throw SinkFailed() } }
    }

    @Test func rejectsBadContentType() {
        #expect(throws: CoreStoreError.self) { try FormUploadReader(contentType: "application/octet-stream") }
    }
}
