import CoreStore
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A large body through the parser in 64 KiB chunks (its speed is measured in
/// `Benchmarks/MicroBenchmarks`, `scripts/bench-micro`).
@Suite("Multipart parser: large bodies in 64 KiB chunks")
struct MultipartThroughputTests {
    static let fileBytes = 8 * 1024 * 1024
    static let chunkBytes = 64 * 1024

    /// Every file byte arrives, the md5 part is read, for a curl-style and a short boundary, binary and CRLF text.
    @Test(arguments: ["------------------------d74496d66958873e", "short-b"], [false, true])
    func largeBodyParsesWhole(boundary: String, crlfText: Bool) throws {
        var random = SeededGenerator(seed: 1)
        var body = ByteBufferAllocator().buffer(capacity: Self.fileBytes + 1024)
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
        if crlfText {  // a text file with CRLF line ends every 64 bytes: a CR per line for memchr
            let line = String(repeating: "lorem ipsum ", count: 6) + "abcdefghij\r\n"
            for _ in 0..<(Self.fileBytes / line.utf8.count) { body.writeString(line) }
            body.writeRepeatingByte(UInt8(ascii: "x"), count: Self.fileBytes % line.utf8.count)
        } else {
            for _ in 0..<(Self.fileBytes / 8) { body.writeInteger(random.next()) }
        }
        body.writeString("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"md5\"\r\n\r\n")
        body.writeString("0123456789abcdef0123456789abcdef\r\n--\(boundary)--\r\n")
        var chunks: [ByteBuffer] = []
        while let chunk = body.readSlice(length: min(Self.chunkBytes, body.readableBytes)), chunk.readableBytes > 0 {
            chunks.append(chunk)
        }
        var reader = try FormUploadReader(contentType: "multipart/form-data; boundary=\(boundary)")
        var slices = 0
        var fileBytes = 0
        for chunk in chunks {
            try reader.feed(chunk) { slice in
                slices += 1
                fileBytes += slice.readableBytes
            }
        }
        try reader.finish()
        #expect(fileBytes == Self.fileBytes)
        #expect(reader.md5Text == "0123456789abcdef0123456789abcdef")
        #expect(slices >= chunks.count - 1, "the file arrives as slices of the chunks, not copied together")
    }
}
