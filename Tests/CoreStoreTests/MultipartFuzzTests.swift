import CoreStore
import NIOCore
import Testing

@Suite("Streaming multipart parser, adversarial input")
struct MultipartFuzzTests {
    static let boundary = "XyZ-123"
    /// Fixed seeds and counts: about 2–3 s of fuzzing in a debug build, the same inputs every run.
    static let garbageIterations = 10_000
    static let mutationIterations = 6_000

    static func sampleBody() -> [UInt8] {
        var content: [UInt8] = Array("binary\r\n--XyZ-12\r\n--XyZ-123x\r\r\n".utf8)
        content += Array(0...255)
        return MultipartTesting.body(
            boundary: boundary, [.file(content), .text("md5", "d41d8cd98f00b204e9800998ecf8427e")],
            preamble: "preamble\r\n", epilogue: "\r\nepilogue")
    }

    /// Feeds `chunks` and finishes, returning whether it succeeded; errors must be CoreStoreErrors.
    static func parses(_ chunks: [[UInt8]], boundary: String = boundary, maxParts: Int = 16) -> Bool {
        do {
            _ = try MultipartTesting.parse(chunks, boundary: boundary, maxParts: maxParts)
            return true
        } catch is CoreStoreError {
            return false
        } catch {
            Issue.record("unexpected error type \(error)")
            return false
        }
    }

    /// What parsing `chunks` with boundary `b` gives: the parts, or the error's code.
    enum Outcome: Equatable {
        case parsed([MultipartTesting.ParsedPart])
        case refused(CoreStoreError.Code)
    }

    static func outcome(_ chunks: [[UInt8]]) -> Outcome {
        do {
            return .parsed(try MultipartTesting.parse(chunks, boundary: "b"))
        } catch let error as CoreStoreError {
            return .refused(error.code)
        } catch {
            Issue.record("unexpected error type \(error)")
            return .refused(.internalError)
        }
    }

    @Test func missingFinalBoundaryFailsAtFinish() throws {
        let body = Array(
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\ndata\r\n--b\r\n".utf8)
        var parser = StreamingMultipartParser(boundary: try MultipartBoundary(validating: "b"))
        let events = try parser.feed(ByteBuffer(bytes: body))
        #expect(events.count == 3)  // begin, chunk, end; the second part's headers never complete
        #expect(throws: CoreStoreError.self) { try parser.finish() }
        #expect(!Self.parses([Array("no boundary at all".utf8)], boundary: "b"))
        #expect(!Self.parses([], boundary: "b"))
    }

    @Test func truncationAtEveryOffsetFails() {
        let body = Self.sampleBody()
        let closeEnd = body.count - "\r\nepilogue".utf8.count  // the body is complete from here on
        #expect(Self.parses([body]))
        for length in 0..<body.count {
            let ok = Self.parses(MultipartTesting.chunks(Array(body[..<length]), size: 5))
            #expect(ok == (length >= closeEnd), "truncated to \(length)")
        }
    }

    @Test func hugePartHeadersFailEarly() throws {
        var parser = StreamingMultipartParser(boundary: try MultipartBoundary(validating: "b"))
        _ = try parser.feed(ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"x\"\r\nX-Long: "))
        let filler = ByteBuffer(repeating: UInt8(ascii: "a"), count: 4096)
        var fed = 0
        var failure: CoreStoreError?
        while fed < 100 * 1024 * 1024 {
            do {
                _ = try parser.feed(filler)
                fed += filler.readableBytes
            } catch {
                failure = error
                break
            }
        }
        #expect(failure?.code == .malformedMultipart)
        #expect(failure?.message == "part headers too large")
        #expect(fed <= 16 * 1024 + 4096)
    }

    @Test func headerBlockAtTheLimitIsAccepted() throws {
        let disposition = "Content-Disposition: form-data; name=\"x\"\r\nX-Pad: "
        let pad = String(repeating: "p", count: 16 * 1024 - disposition.utf8.count - 2)
        let part = MultipartTesting.Part(headers: disposition + pad, content: [1])
        let body = MultipartTesting.body(boundary: "b", [part])
        #expect(try MultipartTesting.parse(MultipartTesting.chunks(body, size: 1000), boundary: "b").count == 1)
        let tooBig = MultipartTesting.body(
            boundary: "b", [MultipartTesting.Part(headers: part.headers + "p", content: [1])])
        #expect(!Self.parses([tooBig], boundary: "b"))
    }

    @Test func thousandParts() throws {
        let parts = (0..<1000).map { MultipartTesting.Part.text("f\($0)", "value \($0)") }
        let body = MultipartTesting.body(boundary: "b", parts)
        #expect(!Self.parses([body], boundary: "b"))  // default limit: 16 parts
        let parsed = try MultipartTesting.parse(
            MultipartTesting.chunks(body, size: 4096), boundary: "b", maxParts: 1000)
        #expect(parsed.count == 1000)
        #expect(parsed.last?.content == Array("value 999".utf8))
        #expect(!Self.parses([body], boundary: "b", maxParts: 999))
    }

    @Test func nestedBoundariesInsideDataAreData() throws {
        // Inner bodies whose boundaries extend the outer one; none of them ends a part.
        let inner = Array("\r\n--outerX\r\n\r\n--outer-x\r\n\r\n--outer \tx\r\n\r\n--outer\tX--\r\n--outerouter--".utf8)
        let body = MultipartTesting.body(boundary: "outer", [.file(inner + inner), .text("md5", "x")])
        for size in [1, 3, 64, body.count] {
            let parts = try MultipartTesting.parse(MultipartTesting.chunks(body, size: size), boundary: "outer")
            #expect(parts.map(\.content) == [inner + inner, Array("x".utf8)])
        }
    }

    @Test func randomGarbageNeverCrashes() {
        var random = SeededGenerator(seed: 0x5EED)
        let prefixes: [[UInt8]] = [
            [], Array("--b\r\n".utf8),
            Array("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n".utf8),
        ]
        let alphabet = Array("\r\n-b \t:;=\"'%*".utf8)
        var successes = 0
        for _ in 0..<Self.garbageIterations {
            var input = prefixes.randomElement(using: &random)!
            let length = Int.random(in: 0...600, using: &random)
            let biased = Bool.random(using: &random)
            for _ in 0..<length {
                input.append(
                    biased ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random))
            }
            let size = Int.random(in: 1...64, using: &random)
            let chunked = Self.outcome(MultipartTesting.chunks(input, size: size))
            let whole = Self.outcome([input])
            #expect(chunked == whole, "the chunking (\(size) bytes) changed the outcome of \(input)")
            if case .parsed = whole { successes += 1 }
        }
        #expect(successes < Self.garbageIterations, "random garbage does not all parse")
    }

    @Test func mutatedBodiesNeverCrash() {
        var random = SeededGenerator(seed: 42)
        let body = Self.sampleBody()
        for _ in 0..<Self.mutationIterations {
            var input = body
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<input.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: input[position] = UInt8.random(in: 0...255, using: &random)
                case 1: input.remove(at: position)
                default: input.insert(Array("\r\n-".utf8).randomElement(using: &random)!, at: position)
                }
            }
            _ = Self.parses(MultipartTesting.chunks(input, size: Int.random(in: 1...40, using: &random)))
        }
    }

    @Test func randomContentRoundTrips() throws {
        var random = SeededGenerator(seed: 7)
        let boundaries = ["b", "XyZ-123", "----WebKitFormBoundaryABCDEFGHIJKLMNOP", String(repeating: "=", count: 70)]
        var checked = 0
        for iteration in 0..<300 {
            let boundary = boundaries[iteration % boundaries.count]
            let fragments = MultipartTesting.trickyFragments(boundary: boundary)
            var content: [UInt8] = []
            while content.count < Int.random(in: 0...3000, using: &random) {
                if Int.random(in: 0..<4, using: &random) == 0 {
                    content += fragments.randomElement(using: &random)!
                } else {
                    for _ in 0..<Int.random(in: 1...50, using: &random) {
                        content.append(UInt8.random(in: 0...255, using: &random))
                    }
                }
            }
            let md5First = Bool.random(using: &random)
            let follower = Array("\r\n--\(boundary)\(md5First ? "--" : "\r\n")".utf8)
            if MultipartTesting.containsDelimiter(content + follower, boundary: boundary, before: content.count) {
                continue  // a real delimiter inside the data; RFC 2046 forbids it
            }
            checked += 1
            let parts: [MultipartTesting.Part] =
                md5First ? [.text("md5", "m"), .file(content)] : [.file(content), .text("md5", "m")]
            let body = MultipartTesting.body(boundary: boundary, parts)
            var chunks: [[UInt8]] = []
            var offset = 0
            while offset < body.count {
                let size = min(body.count - offset, Int.random(in: 1...300, using: &random))
                chunks.append(Array(body[offset..<offset + size]))
                offset += size
            }
            let parsed = try MultipartTesting.parse(chunks, boundary: boundary)
            #expect(parsed.count == 2)
            #expect(parsed[md5First ? 1 : 0].content == content, "iteration \(iteration)")
        }
        #expect(checked > 250)
    }
}
