import NIOCore
import Testing

@testable import CoreStore

/// Known RESP2 vectors for the SwiftNIO connection's reply decoder, whole and cut at every byte.
@Suite("RESP2 reply decoder")
struct RESPReplyDecoderTests {
    private static let vectors: [(wire: String, value: RedisValue)] = [
        ("+OK\r\n", .status("OK")),
        ("-WRONGTYPE Operation against a key\r\n", .error("WRONGTYPE Operation against a key")),
        (":-42\r\n", .integer(-42)),
        ("$5\r\nhe\r\no\r\n", .bulk(ByteBuffer(string: "he\r\no"))),
        ("$0\r\n\r\n", .bulk(ByteBuffer())),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("*0\r\n", .array([])),
        (
            "*3\r\n$3\r\nfoo\r\n*2\r\n:1\r\n$-1\r\n+PONG\r\n",
            .array([.bulk(ByteBuffer(string: "foo")), .array([.integer(1), .null]), .status("PONG")])
        ),
    ]

    @Test("each vector decodes whole, and waits (buffer untouched) when cut short at any byte")
    func vectors() throws {
        for (wire, value) in Self.vectors {
            var decoder = RESPReplyDecoder()
            var whole = ByteBuffer(string: wire)
            #expect(try decoder.decode(buffer: &whole) == value, "\(wire.debugDescription)")
            #expect(whole.readableBytes == 0)
            for cut in 0..<wire.utf8.count {
                var partial = ByteBuffer(bytes: Array(wire.utf8.prefix(cut)))
                #expect(try decoder.decode(buffer: &partial) == nil, "\(wire.debugDescription) cut at \(cut)")
                #expect(partial.readerIndex == 0)
            }
        }
    }

    @Test("two replies in one read decode one after the other")
    func pipelined() throws {
        var decoder = RESPReplyDecoder()
        var buffer = ByteBuffer(string: "+OK\r\n$3\r\nabc\r\n")
        #expect(try decoder.decode(buffer: &buffer) == .status("OK"))
        #expect(try decoder.decode(buffer: &buffer) == .bulk(ByteBuffer(string: "abc")))
        #expect(try decoder.decode(buffer: &buffer) == nil)
    }

    @Test(
        "bytes that are not RESP2 are refused",
        arguments: [
            "?x\r\n", ":12a\r\n", "$3\r\nabcd\r\n", "$-2\r\n", "+OK\rX", "*99999999999\r\n",
            String(repeating: "*1\r\n", count: 40) + ":1\r\n",
        ])
    func garbage(_ wire: String) {
        var decoder = RESPReplyDecoder()
        var buffer = ByteBuffer(string: wire)
        #expect(throws: RESPProtocolError.self) { _ = try decoder.decode(buffer: &buffer) }
    }

    @Test("a line without CRLF beyond the line limit is refused instead of buffered forever")
    func endlessLine() {
        var decoder = RESPReplyDecoder()
        var buffer = ByteBuffer(string: "+" + String(repeating: "a", count: RESPReplyDecoder.maxLineBytes + 2))
        #expect(throws: RESPProtocolError.self) { _ = try decoder.decode(buffer: &buffer) }
    }

    @Test("rediss:// URLs parse like redis:// ones and select TLS")
    func tlsURLs() {
        let endpoint = RedisEndpoint(url: "rediss://app:p%40ss@cache.example.com:6380/2")
        #expect(
            endpoint
                == RedisEndpoint(
                    host: "cache.example.com", port: 6380, username: "app", password: "p@ss", database: 2, usesTLS: true
                ))
        #expect(RedisEndpoint(url: "redis://h")?.usesTLS == false)
        #expect(RedisEndpoint(url: "redisss://h") == nil)
        #expect(RedisEndpoint(url: "rediss://[::1]:6380")?.host == "::1")
    }
}
