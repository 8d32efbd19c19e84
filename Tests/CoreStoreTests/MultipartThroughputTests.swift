import CoreStore
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Multipart parser throughput", .serialized)
struct MultipartThroughputTests {
    #if DEBUG
        static let fileBytes = 8 * 1024 * 1024
    #else
        static let fileBytes = 200 * 1024 * 1024
    #endif
    static let chunkBytes = 64 * 1024

    /// Prints parser MB/s (a curl-style and a short boundary) next to a loop that only reads every cache line of the same chunks; asserts
    /// correctness (byte count), never timing.
    @Test(arguments: ["------------------------d74496d66958873e", "short-b"], [false, true])
    func parserThroughput(boundary: String, crlfText: Bool) throws {
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
        let totalMB = Double(chunks.reduce(0) { $0 + $1.readableBytes }) / 1_000_000

        let clock = ContinuousClock()
        var checksum: UInt64 = 0
        let referenceTime = clock.measure {
            for chunk in chunks {
                chunk.withUnsafeReadableBytes { raw in
                    var index = 0
                    while index < raw.count {
                        checksum &+= UInt64(raw[index])
                        index += 64
                    }
                }
            }
        }

        var reader = try FormUploadReader(contentType: "multipart/form-data; boundary=\(boundary)")
        var slices = 0
        var fileBytes = 0
        let parserTime = try clock.measure {
            for chunk in chunks {
                try reader.feed(chunk) { slice in
                    slices += 1
                    fileBytes += slice.readableBytes
                }
            }
            try reader.finish()
        }
        #expect(fileBytes == Self.fileBytes)
        #expect(reader.md5Text == "0123456789abcdef0123456789abcdef")

        func megabytesPerSecond(_ duration: Duration) -> Double {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return totalMB / max(seconds, 1e-9)
        }
        let parser = megabytesPerSecond(parserTime)
        let withMD5 = 1 / (1 / parser + 1 / 880.0)
        print(
            "multipart throughput (boundary \(boundary.utf8.count) chars, \(crlfText ? "CRLF text" : "binary")): \(Int(totalMB)) MB in \(chunks.count) chunks; parser \(Int(parser)) MB/s, "
                + "reference loop \(Int(megabytesPerSecond(referenceTime))) MB/s, \(slices) body slices; "
                + "with MD5 at 880 MB/s: \(Int(withMD5)) MB/s (\(String(Int(withMD5 / 8.8)))% of MD5 alone) "
                + "[checksum \(checksum % 10)]")
    }
}
