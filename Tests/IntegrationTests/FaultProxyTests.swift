import CoreStore
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// ``FaultProxy`` itself, in front of a real redis-server: each fault does what it says, and
/// `stop()` ends every thread. Plus the S3 readiness check through a black hole (a regression
/// test for a probe that hung for the store's 20 s stall timeout).
@Suite("fault proxy (loopback TCP) and probes through it", .enabled(if: IntegrationEnvironment.isAvailable))
struct FaultProxyTests {
    /// A connected socket to `port` with 3 s send/receive timeouts.
    static func connect(_ port: Int) throws -> Int32 {
        guard let fd = PosixSockets.connectLoopback(port: port, timeout: 3) else {
            throw FleetFailure(description: "no connection to \(port)")
        }
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Reads until `count` bytes arrived, end of stream or an error; returns the bytes and the
    /// errno of the failure (0 for end of stream or enough bytes).
    static func receive(_ fd: Int32, upTo count: Int) -> (bytes: [UInt8], errno: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while received.count < count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, count - received.count), 0) }
            if n < 0 { return (received, errno) }
            if n == 0 { return (received, 0) }
            received += buffer[0..<n]
        }
        return (received, 0)
    }

    static func command(_ words: [[UInt8]]) -> [UInt8] {
        var bytes = Array("*\(words.count)\r\n".utf8)
        for word in words { bytes += Array("$\(word.count)\r\n".utf8) + word + Array("\r\n".utf8) }
        return bytes
    }

    @Test("pass-through, black hole and healing, latency, reset after N bytes (RST), slow close, stop")
    func faults() async throws {
        let redis = try await RedisServer.shared()
        let proxy = try FaultProxy.start(targetPort: redis.port)
        #expect(RedisServer.answersPing(port: proxy.port), "pass-through")

        proxy.set(.blackHole)
        #expect(!RedisServer.answersPing(port: proxy.port), "black hole: accepted, never answered")
        let held = try Self.connect(proxy.port)
        #expect(Self.send(held, Array("PING\r\n".utf8)))
        proxy.set(.passThrough)
        #expect(Self.receive(held, upTo: 7).bytes == Array("+PONG\r\n".utf8), "held traffic passes once healed")
        close(held)

        proxy.set(.latency(.milliseconds(300)))
        let clock = ContinuousClock()
        let slow = try Self.connect(proxy.port)
        let elapsed = clock.measure {
            _ = Self.send(slow, Array("PING\r\n".utf8))
            _ = Self.receive(slow, upTo: 7)
        }
        close(slow)
        #expect(elapsed >= .milliseconds(550), "each direction's chunk held 300 ms: \(elapsed)")
        proxy.set(.passThrough)

        let value = [UInt8](repeating: 0x61, count: 100_000)
        let reset = try Self.connect(proxy.port)
        #expect(Self.send(reset, Self.command([Array("SET".utf8), Array("fault-proxy".utf8), value])))
        #expect(Self.receive(reset, upTo: 5).bytes == Array("+OK\r\n".utf8))
        proxy.set(.reset(afterBytes: 1000, direction: .toClient))
        #expect(Self.send(reset, Self.command([Array("GET".utf8), Array("fault-proxy".utf8)])))
        let cut = Self.receive(reset, upTo: 200_000)
        close(reset)
        #expect(cut.bytes.count == 1000 && cut.errno == ECONNRESET, "\(cut.bytes.count) bytes, errno \(cut.errno)")
        #expect(proxy.counts.resets == 1)
        proxy.set(.passThrough)

        proxy.set(.slowClose(.milliseconds(500)))
        let closing = try Self.connect(proxy.port)
        #expect(Self.send(closing, Array("QUIT\r\n".utf8)))
        #expect(Self.receive(closing, upTo: 5).bytes == Array("+OK\r\n".utf8))
        var end: (bytes: [UInt8], errno: Int32) = ([0], -1)
        let closeDelay = clock.measure { end = Self.receive(closing, upTo: 1) }
        #expect(end.bytes.isEmpty && end.errno == 0, "end of stream: \(end)")
        close(closing)
        #expect(closeDelay >= .milliseconds(400), "the server's close reached the client after \(closeDelay)")

        let open = try Self.connect(proxy.port)
        #expect(Self.send(open, Array("PING\r\n".utf8)) && Self.receive(open, upTo: 7).bytes.count == 7)
        #expect(await proxy.stop(), "every thread ended")
        #expect(Self.receive(open, upTo: 1).errno == ECONNRESET, "open connections are reset on stop")
        close(open)
        #expect(PosixSockets.connectLoopback(port: proxy.port, timeout: 1) == nil, "nothing listens after stop")
    }

    @Test("S3 readiness check through a black hole fails within its 2 s bound, not the 20 s stall timeout")
    func s3ProbeThroughBlackHole() async throws {
        let weed = try await WeedServer.shared()
        let proxy = try FaultProxy.start(targetPort: weed.s3Port)
        var configuration = weed.configuration(bucket: "probe")
        configuration.endpoint = "http://127.0.0.1:\(proxy.port)"
        let store = S3ObjectStore(
            configuration: configuration, pool: WeedServer.testPool, logger: WeedServer.quietLogger)
        try await store.ensureBucket()
        try await store.checkReachable()
        proxy.set(.blackHole)
        let started = ContinuousClock.now
        await #expect(throws: CoreStoreError(.objectStoreUnavailable)) { try await store.checkReachable() }
        let waited = ContinuousClock.now - started
        #expect(waited < .seconds(5), "the probe answered after \(waited)")
        proxy.set(.passThrough)
        try await store.checkReachable()
        await proxy.stop()
    }
}
