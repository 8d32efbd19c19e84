import CoreStore
import NIOCore
import Testing

/// Builds multipart bodies and runs the parser over them, for the multipart suites.
enum MultipartTesting {
    /// One part of a test body: raw header lines (without the blank line) and content.
    struct Part {
        var headers: String
        var content: [UInt8]

        static func file(_ content: [UInt8], name: String = "file", filename: String = "a.bin") -> Part {
            Part(
                headers: "Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n"
                    + "Content-Type: application/octet-stream",
                content: content)
        }

        static func text(_ name: String, _ value: String) -> Part {
            Part(headers: "Content-Disposition: form-data; name=\"\(name)\"", content: Array(value.utf8))
        }
    }

    /// A part as the parser reported it.
    struct ParsedPart: Equatable {
        var headers: MultipartPartHeaders
        var content: [UInt8]
    }

    /// The whole body: optional preamble, each part, the close delimiter, optional epilogue.
    static func body(
        boundary: String, _ parts: [Part], preamble: String = "", epilogue: String = "\r\n", padding: String = ""
    ) -> [UInt8] {
        var bytes = Array(preamble.utf8)
        for (index, part) in parts.enumerated() {
            bytes += Array(((index == 0 && preamble.isEmpty) ? "" : "\r\n").utf8)
            bytes += Array("--\(boundary)\(padding)\r\n\(part.headers)\r\n\r\n".utf8)
            bytes += part.content
        }
        bytes += Array("\r\n--\(boundary)--\(epilogue)".utf8)
        return bytes
    }

    /// Splits `bytes` into chunks of `size` (the last one shorter).
    static func chunks(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }

    /// Feeds `chunks`, checks the event grammar (begin, chunks, end per part), calls `finish()`.
    static func parse(
        _ chunks: [[UInt8]], boundary: String, maxParts: Int = 16, maxTextPartBytes: Int = 4096
    ) throws -> [ParsedPart] {
        var parser = StreamingMultipartParser(
            boundary: try MultipartBoundary(validating: boundary), maxParts: maxParts,
            maxTextPartBytes: maxTextPartBytes)
        var parts: [ParsedPart] = []
        var inPart = false
        for chunk in chunks {
            for event in try parser.feed(ByteBuffer(bytes: chunk)) {
                switch event {
                case .partBegin(let headers):
                    #expect(!inPart)
                    inPart = true
                    parts.append(ParsedPart(headers: headers, content: []))
                case .bodyChunk(let slice):
                    #expect(inPart)
                    #expect(slice.readableBytes > 0)
                    parts[parts.count - 1].content += slice.readableBytesView
                case .partEnd:
                    #expect(inPart)
                    inPart = false
                }
            }
        }
        try parser.finish()
        #expect(!inPart)
        return parts
    }

    /// A naive oracle: whether a delimiter line (`CRLF--boundary` then `--` or spaces/tabs and CRLF)
    /// starts in `bytes` before `limit`.
    static func containsDelimiter(_ bytes: [UInt8], boundary: String, before limit: Int) -> Bool {
        let delimiter = Array("\r\n--\(boundary)".utf8)
        for start in 0..<min(limit, bytes.count) where bytes[start...].starts(with: delimiter) {
            var index = start + delimiter.count
            if bytes[index...].starts(with: Array("--".utf8)) { return true }
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            if bytes[index...].starts(with: Array("\r\n".utf8)) { return true }
        }
        return false
    }

    /// Bytes that look like pieces of delimiters for `boundary`, to salt test data with.
    static func trickyFragments(boundary: String) -> [[UInt8]] {
        let b = Array(boundary.utf8)
        return [
            Array("\r".utf8), Array("\r\n".utf8), Array("\r\n-".utf8), Array("\r\n--".utf8),
            Array("\r\n--".utf8) + b.prefix(b.count / 2), Array("\r\n--".utf8) + b.dropLast(),
            Array("\r\n--".utf8) + b + Array("X".utf8), Array("\r\n--".utf8) + b + Array("-x".utf8),
            Array("\r\n--".utf8) + b + Array(" \t x\r\n".utf8), Array("\r\n--".utf8) + b + Array("\rx".utf8),
            Array("--".utf8) + b + Array("\r\n".utf8), Array("--".utf8) + b + Array("--".utf8),
            Array("\r\r\n\r\n\r\n--".utf8), Array("\n--".utf8) + b + Array("--".utf8),
        ]
    }
}

/// A seeded SplitMix64 generator, so random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Multipart boundary")
struct MultipartBoundaryTests {
    @Test(arguments: [
        (
            "multipart/form-data; boundary=------------------------d74496d66958873e",
            "------------------------d74496d66958873e"
        ),
        (
            "multipart/form-data; boundary=\"----WebKitFormBoundary7MA4YWxkTrZu0gW\"",
            "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        ),
        ("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b'()+_,-./:=?\"", "a b'()+_,-./:=?"),
        ("multipart/form-data;boundary=x", "x"),
        ("multipart/form-data ; boundary = abc ; other=\"q;u\"", "abc"),
    ])
    func extractsBoundary(contentType: String, expected: String) throws {
        #expect(try MultipartBoundary(contentType: contentType).value == expected)
    }

    @Test(arguments: [
        "multipart/form-data", "multipart/mixed; boundary=abc", "application/json", "",
        "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"abc", "multipart/form-data; boundary=ab@c",
        "multipart/form-data; boundary=\"abc \"", "multipart/form-data; boundary=a; boundary=b",
        "multipart/form-data; boundary=" + String(repeating: "x", count: 71),
        "multipart/form-data; boundary=a\r\nb", "multipart/form-data; boundary",
    ])
    func rejectsBadContentType(contentType: String) {
        #expect(throws: CoreStoreError.self) { try MultipartBoundary(contentType: contentType) }
        do {
            _ = try MultipartBoundary(contentType: contentType)
        } catch {
            #expect(error.code == .malformedMultipart)
        }
    }

    @Test func acceptsSeventyCharacters() throws {
        let boundary = String(repeating: "x", count: 70)
        #expect(try MultipartBoundary(contentType: "multipart/form-data; boundary=\(boundary)").value == boundary)
    }
}

@Suite("Streaming multipart parser")
struct MultipartParserTests {
    static let curlBoundary = "------------------------d74496d66958873e"

    @Test func parsesCurlStyleBody() throws {
        let content: [UInt8] = Array(0...255) + Array("\r\n--\r\n".utf8)
        let md5 = "9e107d9d372bb6826bd81d3542a419d6"
        let bytes = MultipartTesting.body(
            boundary: Self.curlBoundary, [.file(content, filename: "report.pdf"), .text("md5", md5)])
        let parts = try MultipartTesting.parse([bytes], boundary: Self.curlBoundary)
        #expect(parts.count == 2)
        #expect(parts[0].headers.name == "file")
        #expect(parts[0].headers.filename == "report.pdf")
        #expect(parts[0].headers.contentType == "application/octet-stream")
        #expect(parts[0].content == content)
        #expect(parts[1].headers.name == "md5")
        #expect(parts[1].headers.filename == nil)
        #expect(parts[1].content == Array(md5.utf8))
    }

    @Test func parsesBrowserStyleBodyWithChecksumFirst() throws {
        let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        let text = """
            ------WebKitFormBoundary7MA4YWxkTrZu0gW\r
            Content-Disposition: form-data; name="md5"\r
            \r
            CY9rzUYh03PK3k6DJie09g==\r
            ------WebKitFormBoundary7MA4YWxkTrZu0gW\r
            content-disposition: form-data; name="file"; filename="notes.txt"\r
            content-type: text/plain\r
            \r
            hello\r
            world\r
            ------WebKitFormBoundary7MA4YWxkTrZu0gW--\r

            """
        let parts = try MultipartTesting.parse([Array(text.utf8)], boundary: boundary)
        #expect(parts.map(\.headers.name) == ["md5", "file"])
        #expect(parts[0].content == Array("CY9rzUYh03PK3k6DJie09g==".utf8))
        #expect(parts[1].headers.filename == "notes.txt")
        #expect(parts[1].headers.contentType == "text/plain")
        #expect(parts[1].content == Array("hello\r\nworld".utf8))
    }

    @Test func skipsPreambleAndEpilogue() throws {
        let bytes = MultipartTesting.body(
            boundary: "b", [.file(Array("data".utf8))], preamble: "This is a preamble --b not a boundary\r\n",
            epilogue: "\r\nepilogue\r\n--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n")
        let parts = try MultipartTesting.parse([bytes], boundary: "b")
        #expect(parts.count == 1)
        #expect(parts[0].content == Array("data".utf8))
    }

    @Test func acceptsTransportPaddingAfterBoundaryLines() throws {
        let bytes = MultipartTesting.body(
            boundary: "b", [.file(Array("x\r\n--b y".utf8)), .text("md5", "abc")], padding: " \t ")
        let parts = try MultipartTesting.parse(MultipartTesting.chunks(bytes, size: 1), boundary: "b")
        #expect(parts.map(\.content) == [Array("x\r\n--b y".utf8), Array("abc".utf8)])
    }

    @Test func parsesEmptyBodiesAndEmptyClose() throws {
        let bytes = MultipartTesting.body(boundary: "b", [.file([]), .text("md5", "")])
        let parts = try MultipartTesting.parse([bytes], boundary: "b")
        #expect(parts.map(\.content) == [[], []])
        #expect(try MultipartTesting.parse([Array("--b--".utf8)], boundary: "b").isEmpty)
    }

    @Test func keepsDelimiterLookalikesInData() throws {
        let boundary = "boundary"
        for fragment in MultipartTesting.trickyFragments(boundary: boundary) {
            let content = Array("start".utf8) + fragment + Array("middle".utf8) + fragment
            let bytes = MultipartTesting.body(boundary: boundary, [.file(content), .text("md5", "m")])
            for size in [1, 2, 3, 7, bytes.count] {
                let parts = try MultipartTesting.parse(MultipartTesting.chunks(bytes, size: size), boundary: boundary)
                #expect(parts.count == 2)
                #expect(parts.first?.content == content, "fragment \(fragment), chunk size \(size)")
            }
        }
    }

    @Test func dataEndingInCarriageReturnsIsKept() throws {
        let content = Array("abc\r\r\r\n\r".utf8)
        let bytes = MultipartTesting.body(boundary: "b", [.file(content)])
        #expect(
            try MultipartTesting.parse(MultipartTesting.chunks(bytes, size: 1), boundary: "b")[0].content == content)
    }

    @Test func everySplitGivesIdenticalOutput() throws {
        let boundary = "----WebKitFormBoundaryQ"
        var content: [UInt8] = Array(0...255)
        for fragment in MultipartTesting.trickyFragments(boundary: boundary) { content += fragment + [0x41] }
        let bytes = MultipartTesting.body(
            boundary: boundary, [.text("md5", "00112233445566778899aabbccddeeff"), .file(content)],
            preamble: "pre\r\n", padding: " ")
        let expected = try MultipartTesting.parse([bytes], boundary: boundary)
        #expect(expected[1].content == content)
        for size in [1, 2, 7] {
            #expect(
                try MultipartTesting.parse(MultipartTesting.chunks(bytes, size: size), boundary: boundary) == expected)
        }
        for cut in 0...bytes.count {
            let chunks = [Array(bytes[..<cut]), Array(bytes[cut...])]
            #expect(try MultipartTesting.parse(chunks, boundary: boundary) == expected, "cut at \(cut)")
        }
    }

    @Test func bodyInOneChunkComesOutAsOneZeroCopySlice() throws {
        let content = [UInt8](repeating: 0x5A, count: 60_000)
        let bytes = MultipartTesting.body(boundary: "b", [.file(content)])
        var parser = StreamingMultipartParser(boundary: try MultipartBoundary(validating: "b"))
        var chunk = ByteBufferAllocator().buffer(capacity: bytes.count + 16)
        chunk.writeBytes([1, 2, 3])
        chunk.moveReaderIndex(forwardBy: 3)  // a chunk whose readable bytes do not start at 0
        chunk.writeBytes(bytes)
        let slices = try parser.feed(chunk).compactMap { event -> ByteBuffer? in
            if case .bodyChunk(let slice) = event { return slice }
            return nil
        }
        try parser.finish()
        #expect(slices.count == 1)
        #expect(slices.first.map { Array($0.readableBytesView) } == content)
        let sameStorage = slices.first?.withUnsafeReadableBytes { slice in
            chunk.withUnsafeReadableBytes { whole in
                slice.baseAddress.map { $0 > whole.baseAddress! && $0 < whole.baseAddress! + whole.count } ?? false
            }
        }
        #expect(sameStorage == true)
    }

    @Test func parsesFilenameParameters() throws {
        let cases: [(String, String?)] = [
            ("form-data; name=\"file\"; filename=\"a.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt", "€ rates.txt"),
            ("form-data; filename*=utf-8'en'%C3%A9.txt; name=file; filename=\"e.txt\"", "é.txt"),
            ("form-data; name=\"file\"; filename*=ISO-8859-1''%E9t%E9.txt", "été.txt"),
            ("form-data; name=\"file\"; filename=\"plain.txt\"; filename*=KOI8-R''%C1.txt", "plain.txt"),
            ("form-data; name=\"file\"; filename=\"q\\\"uo\\\\te.txt\"", "q\"uo\\te.txt"),
            ("form-data; name=\"file\"; filename=\"C:\\dir\\a.txt\"", "C:\\dir\\a.txt"),
            ("FORM-DATA; NAME=\"file\"; FILENAME=\"semi;colon.txt\"", "semi;colon.txt"),
            ("form-data; name=\"file\"; filename=\"€.txt\"", "€.txt"),
            ("form-data; name=\"file\"; filename=\"\"", ""),
            ("form-data; name=file", nil),
        ]
        for (disposition, filename) in cases {
            let headers = try MultipartPartHeaders(fields: [.init(name: "Content-Disposition", value: disposition)])
            #expect(headers.name == "file")
            #expect(headers.filename == filename, "\(disposition)")
        }
    }

    @Test(arguments: [
        "Content-Disposition: form-data",
        "Content-Disposition: attachment; name=\"file\"",
        "Content-Disposition: form-data; name=\"a\"; name=\"b\"",
        "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E2%8",
        "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%FF.txt",
        "Content-Disposition: form-data; name=\"file\"; filename*=nonsense",
        "Content-Disposition: form-data; name=\"file\"; filename=\"open",
        "Content-Disposition: form-data; name=\"file\"; filename=\"a\"b",
        "Content-Disposition: form-data; name=\"file\"; flag",
        "Content-Type: text/plain",
        "Content-Disposition: form-data; name=\"x\"\r\nno colon here",
        "Content-Disposition: form-data; name=\"x\"\r\n: empty name",
        "Content-Disposition: form-data; name=\"x\"\r\nContent-Disposition: form-data; name=\"y\"",
        " folded: first",
        "Content-Disposition: form-data; name=\"x\"\rbare: cr",
        "Content-Disposition: form-data; name=\"x\"\nbare: lf",
    ])
    func rejectsBadPartHeaders(headers: String) {
        let bytes = MultipartTesting.body(boundary: "b", [MultipartTesting.Part(headers: headers, content: [1])])
        #expect(throws: CoreStoreError.self) { try MultipartTesting.parse([bytes], boundary: "b") }
        do {
            _ = try MultipartTesting.parse([bytes], boundary: "b")
        } catch let error as CoreStoreError {
            #expect(error.code == .malformedMultipart)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func parsesFoldedAndCaseInsensitiveHeaders() throws {
        let part = MultipartTesting.Part(
            headers: "CONTENT-disposition :form-data;\r\n\tname=\"file\";\r\n filename=\"f.txt\"\r\nX-Extra:  v  ",
            content: [9])
        let parts = try MultipartTesting.parse([MultipartTesting.body(boundary: "b", [part])], boundary: "b")
        #expect(parts[0].headers.filename == "f.txt")
        #expect(parts[0].headers["x-extra"] == "v")
        #expect(parts[0].headers.fields.map(\.name) == ["content-disposition", "x-extra"])
    }

    @Test func rejectsInvalidUTF8InHeaders() {
        var bytes = Array("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"".utf8)
        bytes += [0xFF, 0xFE] + Array("\"\r\n\r\nx\r\n--b--".utf8)
        #expect(throws: CoreStoreError.self) { try MultipartTesting.parse([bytes], boundary: "b") }
    }

    @Test func limitsTextPartsButNotFileParts() throws {
        let big = [UInt8](repeating: 0x61, count: 5000)
        let fileBody = MultipartTesting.body(boundary: "b", [.file(big)])
        #expect(
            try MultipartTesting.parse(MultipartTesting.chunks(fileBody, size: 999), boundary: "b")[0].content == big)
        let textBody = MultipartTesting.body(boundary: "b", [.text("md5", String(repeating: "a", count: 4097))])
        #expect(throws: CoreStoreError.self) {
            try MultipartTesting.parse(MultipartTesting.chunks(textBody, size: 999), boundary: "b")
        }
        let exact = MultipartTesting.body(boundary: "b", [.text("md5", String(repeating: "a", count: 4096))])
        #expect(try MultipartTesting.parse([exact], boundary: "b")[0].content.count == 4096)
    }

    @Test func failedParserStaysFailed() throws {
        var parser = StreamingMultipartParser(boundary: try MultipartBoundary(validating: "b"))
        #expect(throws: CoreStoreError.self) { try parser.feed(ByteBuffer(string: "--b\r\nbad\r\n\r\n")) }
        #expect(throws: CoreStoreError.self) { try parser.feed(ByteBuffer(string: "--b--")) }
        #expect(throws: CoreStoreError.self) { try parser.finish() }
    }
}
