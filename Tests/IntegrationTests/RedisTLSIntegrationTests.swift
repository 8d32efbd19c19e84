import CoreStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import TestSupport
import Testing

/// One blocking pool for the whole test process (unused by `rediss://` clients, required by the API).
private let tlsTestPool = BlockingPool(threads: 2)

/// The TLS clients' own event loop: the in-process servers of other suites keep NIO's singleton
/// loops busy, and these tests time the client's fail-fast paths, not that contention.
private let tlsTestLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

/// Trust and client-certificate settings of a test client.
private func tlsSettings(
    ca: String?, certificate: String? = nil, key: String? = nil
) throws -> TLSConfiguration {
    var tls = TLSConfiguration.makeClientConfiguration()
    if let ca { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca)) }
    if let certificate, let key {
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
    }
    return tls
}

/// The certificates and TLS server shared by this process's TLS tests that do not stop their server.
private actor SharedTLSRedis {
    static let instance = SharedTLSRedis()
    private var started: Task<(TestCertificates, RedisServer), any Error>?

    func value() async throws -> (TestCertificates, RedisServer) {
        if let started, let value = try? await started.value, value.1.process.isRunning { return value }
        let task = Task {
            let certificates = try await TestCertificates.make()
            return (certificates, try await RedisServer.start(tls: .init(certificates: certificates)))
        }
        started = task
        return try await task.value
    }
}

@Suite(
    "Redis over TLS against a real redis-server (--port 0 --tls-port)",
    .enabled(
        if: RedisServer.isTLSAvailable, "needs redis-server and openssl on PATH (REQUIRE_INTEGRATION=1 fails instead)"))
struct RedisTLSIntegrationTests {
    private let logger = Logger(label: "test.redis-tls")

    private func client(
        _ url: String, ca: String?, certificate: String? = nil, key: String? = nil,
        commandTimeout: Duration = .seconds(1), backoff: Duration = .seconds(5)
    ) throws -> RedisClient {
        try RedisClient(
            configuration: .init(
                url: url, tls: try tlsSettings(ca: ca, certificate: certificate, key: key),
                connectTimeout: .seconds(2), commandTimeout: commandTimeout, failureBackoff: backoff),
            blockingPool: tlsTestPool, eventLoopGroup: tlsTestLoops, logger: logger)
    }

    private func shared() async throws -> (certificates: TestCertificates, server: RedisServer, client: RedisClient) {
        let (certificates, server) = try await SharedTLSRedis.instance.value()
        return (certificates, server, try client(server.url, ca: certificates.caFile))
    }

    @Test("RedisBlobCache meets the BlobCache contract over TLS")
    func contract() async throws {
        let redis = try await shared().client
        #expect(redis.usesTLS)
        try await BlobCacheContract.run(RedisBlobCache(client: redis))
    }

    @Test("the server's port speaks only TLS: a plain redis:// client is refused")
    func plainClientRefused() async throws {
        let server = try await shared().server
        let plain = try RedisClient(
            configuration: .init(url: "redis://127.0.0.1:\(server.port)", connectTimeout: .milliseconds(500)),
            blockingPool: tlsTestPool, eventLoopGroup: tlsTestLoops, logger: logger)
        await #expect(throws: CoreStoreError(.cacheUnavailable)) { try await plain.ping() }
    }

    @Test("RedisMetadataCache over TLS: put, get, invalidate, TTL")
    func metadataCache() async throws {
        let redis = try await shared().client
        let cache = RedisMetadataCache(client: redis, ttlSeconds: 600, logger: logger)
        let userID = try UserID(validating: "tls user ü")
        let fileID = FileID.generate()
        let stored = FileRecord(
            fileID: fileID, userID: userID, fileName: try FileName(validating: "report: (2).pdf"),
            objectKey: ObjectKey(prefix: "files", userID: userID, fileID: fileID), size: 42,
            md5: try ContentDigest(parsing: "0123456789abcdef0123456789ABCDEF"), contentType: "text/plain",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.123), lastAccessedAt: Date())
        #expect(try await cache.get(userID: stored.userID, fileName: stored.fileName) == nil)
        let written = ContinuousClock.now
        try await cache.put(stored)
        #expect(try await cache.get(userID: stored.userID, fileName: stored.fileName) == stored)
        let key = RedisMetadataCache.key(userID: stored.userID, fileName: stored.fileName)
        guard case .integer(let ttl) = try await redis.execute("TTL", key) else {
            Issue.record("TTL did not answer an integer")
            return
        }
        #expect(isFreshTTL(ttl, of: 600, setAfter: written), "the entry carries the metadata TTL: \(ttl)")
        try await cache.invalidate(userID: stored.userID, fileName: stored.fileName)
        #expect(try await cache.get(userID: stored.userID, fileName: stored.fileName) == nil)
    }

    @Test("a multi-chunk file push and an 8 MiB blob cross TLS byte-identical")
    func largeValues() async throws {
        let redis = try await shared().client
        let cache = RedisBlobCache(client: redis, ttlSeconds: 600)
        let path = IntegrationEnvironment.processRoot + "/tls-push-\(UUID().uuidString)"
        let bytes = (0..<(Int(RedisBlobCache.chunkBytes) * 3 + 11)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let id = FileID.generate()
        try await cache.store(fileAt: path, size: Int64(bytes.count), for: id)
        #expect(try await cache.blob(for: id).map { Array($0.readableBytesView) } == bytes)

        let big = FileID.generate()
        let blob = ByteBuffer(bytes: (0..<(8 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try await cache.store(blob, for: big)
        #expect(try await cache.blob(for: big) == blob)
    }

    @Test("64 concurrent commands over TLS share at most maxConnections (4) connections without mixing replies")
    func concurrentCommands() async throws {
        let certificates = try await shared().certificates
        let server = try await RedisServer.start(tls: .init(certificates: certificates))
        defer { server.process.kill() }
        var settings = RedisClient.Configuration(
            url: server.url, tls: try tlsSettings(ca: certificates.caFile), connectTimeout: .seconds(2),
            maxIdleConnections: 4, maxConnections: 4)
        let redis = try RedisClient(
            configuration: settings, blockingPool: tlsTestPool, eventLoopGroup: tlsTestLoops, logger: logger)
        try await RedisSharingCheck.expectConcurrentReadsUnmixed(RedisBlobCache(client: redis))
        let stats = try await redis.execute("INFO", "stats").bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let received = stats.split(whereSeparator: \.isNewline).first { $0.hasPrefix("total_connections_received:") }
        let count = received.flatMap { Int($0.dropFirst("total_connections_received:".count)) }
        #expect(count.map { (1...4).contains($0) } == true, "connections the server accepted: \(received ?? "none")")
    }

    @Test("a server certificate from another CA is refused: the cache reports unavailable and fails fast")
    func wrongCA() async throws {
        let (certificates, server, _) = try await shared()
        let redis = try client(server.url, ca: certificates.otherCAFile, backoff: .seconds(30))
        let cache = RedisBlobCache(client: redis)
        await #expect(throws: CoreStoreError(.cacheUnavailable)) { _ = try await cache.blob(for: FileID.generate()) }
        #expect(!redis.isHealthy)
        let start = ContinuousClock.now
        await #expect(throws: CoreStoreError(.cacheUnavailable)) { try await cache.checkReachable() }
        #expect(ContinuousClock.now - start < .milliseconds(100), "the open breaker answers without a handshake")
    }

    @Test("the system trust store does not trust the test CA")
    func systemTrustStore() async throws {
        let server = try await shared().server
        let redis = try RedisClient(
            configuration: .init(url: server.url), blockingPool: tlsTestPool, eventLoopGroup: tlsTestLoops,
            logger: logger)
        await #expect(throws: CoreStoreError(.cacheUnavailable)) { try await redis.ping() }
    }

    @Test("host names are verified: localhost matches its DNS name; a certificate for another name is refused")
    func hostNames() async throws {
        let (certificates, server, _) = try await shared()
        let byName = try client("rediss://localhost:\(server.port)", ca: certificates.caFile)
        try await byName.ping()

        let misnamed = try await RedisServer.start(tls: .init(certificates: certificates, misnamedCertificate: true))
        defer { misnamed.process.kill() }
        for url in [misnamed.url, "rediss://localhost:\(misnamed.port)"] {
            let redis = try client(url, ca: certificates.caFile)
            await #expect(throws: CoreStoreError(.cacheUnavailable), "\(url)") { try await redis.ping() }
        }
    }

    @Test("tls-auth-clients yes: no client certificate is refused, the CA-signed one works")
    func clientCertificate() async throws {
        let certificates = try await shared().certificates
        let server = try await RedisServer.start(tls: .init(certificates: certificates, requireClientCertificate: true))
        defer { server.process.kill() }
        let anonymous = try client(server.url, ca: certificates.caFile)
        await #expect(throws: CoreStoreError(.cacheUnavailable)) { try await anonymous.ping() }

        let authenticated = try client(
            server.url, ca: certificates.caFile, certificate: certificates.clientCertificateFile,
            key: certificates.clientKeyFile)
        try await authenticated.set("client-cert", value: ByteBuffer(string: "yes"))
        #expect(try await authenticated.get("client-cert") == ByteBuffer(string: "yes"))
    }

    @Test("AUTH (password, ACL user) and SELECT from a rediss:// URL", .timeLimit(.minutes(1)))
    func authAndSelect() async throws {
        let certificates = try await shared().certificates
        let server = try await RedisServer.start(tls: .init(certificates: certificates))
        defer { server.process.kill() }
        let admin = try client(server.url, ca: certificates.caFile)
        _ = try await admin.execute("ACL", "SETUSER", "app", "on", ">app%pw", "~*", "+@all")
        _ = try await admin.execute("CONFIG", "SET", "requirepass", "s3cr%t")

        let authed = try client("rediss://:s3cr%25t@127.0.0.1:\(server.port)/3", ca: certificates.caFile)
        try await authed.set("selected", value: ByteBuffer(string: "db3"))
        let info = try await authed.execute("CLIENT", "INFO").bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
        #expect(info.contains("db=3"))
        #expect(info.contains("user=default"))

        let user = try client("rediss://app:app%25pw@127.0.0.1:\(server.port)/2", ca: certificates.caFile)
        let userInfo = try await user.execute("CLIENT", "INFO").bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
        #expect(userInfo.contains("user=app") && userInfo.contains("db=2"), "\(userInfo)")

        let wrong = try client("rediss://:nope@127.0.0.1:\(server.port)", ca: certificates.caFile)
        await #expect(throws: CoreStoreError(.cacheUnavailable)) { try await wrong.ping() }
    }

    @Test("a killed TLS server fails fast, then the client recovers after a restart on the same port")
    func killAndRecover() async throws {
        let certificates = try await shared().certificates
        let server = try await RedisServer.start(tls: .init(certificates: certificates))
        let redis = try client(server.url, ca: certificates.caFile, backoff: .milliseconds(500))
        let cache = RedisBlobCache(client: redis)
        let id = FileID.generate()
        try await cache.store(ByteBuffer(string: "before"), for: id)

        await RedisOutageCheck.expectFastFailuresAfterKill(cache, holding: id, redis: redis, on: server)

        let restarted = try await RedisServer.start(tls: .init(certificates: certificates), port: server.port)
        defer { restarted.process.kill() }
        #expect(await eventually(timeout: .seconds(10)) { (try? await cache.checkReachable()) != nil })
        #expect(redis.isHealthy)
        #expect(try await cache.blob(for: id) == nil)  // no persistence: the restarted server is empty
    }

    @Test("a hung TLS server costs one command timeout, then calls fail fast")
    func hungServer() async throws {
        let certificates = try await shared().certificates
        let server = try await RedisServer.start(tls: .init(certificates: certificates))
        defer { server.process.kill() }
        let redis = try client(
            server.url, ca: certificates.caFile, commandTimeout: .milliseconds(300), backoff: .seconds(30))
        try await RedisOutageCheck.expectOneTimeoutThenFailFast(redis, on: server)
    }

    @Test("the client is a Service: once it stops, commands fail fast and its connections are closed")
    func serviceStop() async throws {
        let certificates = try await shared().certificates
        let server = try await RedisServer.start(tls: .init(certificates: certificates))
        defer { server.process.kill() }
        let redis = try client(server.url, ca: certificates.caFile)
        let observer = try client(server.url, ca: certificates.caFile)
        try await redis.ping()
        try await observer.ping()
        let service = Task { try await redis.run() }
        service.cancel()  // outside a service group, cancellation stands in for graceful shutdown
        try await service.value
        await #expect(throws: CoreStoreError(.cacheUnavailable)) { try await redis.ping() }
        let closed = await eventually(timeout: .seconds(10)) {
            let list = try? await observer.execute("CLIENT", "LIST").bytes.map { String(decoding: $0, as: UTF8.self) }
            return list?.split(whereSeparator: \.isNewline).count == 1
        }
        #expect(closed, "only the observer's connection is left on the server")
    }

    @Test("TLS settings with a redis:// URL are refused")
    func tlsSettingsNeedRediss() throws {
        #expect(throws: CoreStoreError.self) {
            try RedisClient(
                configuration: .init(url: "redis://127.0.0.1:6379", tls: .makeClientConfiguration()),
                blockingPool: tlsTestPool, eventLoopGroup: tlsTestLoops, logger: logger)
        }
    }
}
