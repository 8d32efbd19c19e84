import CoreStore
import Foundation
import Logging
import NIOCore
import TestSupport
import Testing

/// One blocking pool for the whole test process (a pool must be shut down before it is freed).
private let redisTestPool = BlockingPool(threads: 4)

@Suite("Redis caches against a real redis-server", .enabled(if: RedisServer.isAvailable))
struct RedisBlobCacheIntegrationTests {
    private let logger = Logger(label: "test.redis")

    private func client(
        _ server: RedisServer, commandTimeout: Duration = .seconds(1), backoff: Duration = .seconds(5)
    ) throws -> RedisClient {
        try RedisClient(
            configuration: .init(
                url: server.url, connectTimeout: .milliseconds(300), commandTimeout: commandTimeout,
                failureBackoff: backoff),
            blockingPool: redisTestPool, logger: logger)
    }

    private func record(user: String, name: String) throws -> FileRecord {
        let userID = try UserID(validating: user)
        let fileID = FileID.generate()
        return FileRecord(
            fileID: fileID, userID: userID, fileName: try FileName(validating: name),
            objectKey: ObjectKey(prefix: "files", userID: userID, fileID: fileID), size: 42,
            md5: try ContentDigest(parsing: "0123456789abcdef0123456789ABCDEF"), contentType: "text/plain",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000.123), lastAccessedAt: Date())
    }

    @Test("RedisBlobCache meets the BlobCache contract")
    func contract() async throws {
        let cache = RedisBlobCache(client: try client(try await RedisServer.shared()))
        try await BlobCacheContract.run(cache)
    }

    @Test("blobs live under uds:blob:<file_id> with the TTL; oversized blobs are not stored")
    func keysTTLAndMaxSize() async throws {
        let redis = try client(try await RedisServer.shared())
        let cache = RedisBlobCache(client: redis, ttlSeconds: 600, maxBlobBytes: 1024)
        let id = FileID.generate()
        let written = ContinuousClock.now
        try await cache.store(ByteBuffer(repeating: 7, count: 1024), for: id)
        #expect(try await redis.get("uds:blob:\(id.rawValue)")?.readableBytes == 1024)
        guard case .integer(let ttl) = try await redis.execute("TTL", "uds:blob:\(id.rawValue)") else {
            Issue.record("TTL did not answer an integer")
            return
        }
        #expect(isFreshTTL(ttl, of: 600, setAfter: written), "TTL \(ttl)")
        let big = FileID.generate()
        try await cache.store(ByteBuffer(repeating: 7, count: 1025), for: big)
        #expect(try await cache.blob(for: big) == nil)
    }

    @Test("a file push goes through an expiring staging key, then lands whole with the blob TTL")
    func stagedFilePush() async throws {
        let server = try await RedisServer.start()
        defer { server.process.kill() }
        let redis = try client(server)
        let cache = RedisBlobCache(client: redis, ttlSeconds: 600)
        let path = URL(fileURLWithPath: IntegrationEnvironment.processRoot).appendingPathComponent(
            "push-\(UUID().uuidString)"
        ).path
        let bytes = (0..<(Int(RedisBlobCache.chunkBytes) * 3 + 11)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let id = FileID.generate()
        let written = ContinuousClock.now
        try await cache.store(fileAt: path, size: Int64(bytes.count), for: id)
        #expect(try await cache.blob(for: id).map { Array($0.readableBytesView) } == bytes)
        guard case .integer(let ttl) = try await redis.execute("TTL", RedisBlobCache.key(for: id)) else {
            Issue.record("TTL did not answer an integer")
            return
        }
        #expect(
            isFreshTTL(ttl, of: 600, setAfter: written), "the blob carries the cache TTL, not the staging TTL: \(ttl)")
        guard case .array(let staging) = try await redis.execute("KEYS", RedisBlobCache.stagingKeyPrefix + "*") else {
            Issue.record("KEYS did not answer an array")
            return
        }
        #expect(staging.isEmpty, "no staging key is left after a push")
        #expect(
            try await calls("append", on: redis) == 3, "a file of three chunks and a bit is sent as SET + 3 APPENDs")
    }

    /// How often `command` ran on the server, from `INFO commandstats`.
    private func calls(_ command: String, on redis: RedisClient) async throws -> Int? {
        let info = try await redis.execute("INFO", "commandstats").bytes.map { String(decoding: $0, as: UTF8.self) }
        let prefix = "cmdstat_\(command):calls="
        for line in (info ?? "").split(whereSeparator: \.isNewline) where line.hasPrefix(prefix) {
            return Int(line.dropFirst(prefix.count).prefix { $0.isNumber })
        }
        return 0
    }

    @Test("RedisMetadataCache: put, get, invalidate, odd names, expiry")
    func metadataCache() async throws {
        let redis = try client(try await RedisServer.shared())
        let cache = RedisMetadataCache(client: redis, ttlSeconds: 600, logger: logger)
        let stored = try record(user: "user:1 ü", name: "report: final (2).pdf")
        #expect(try await cache.get(userID: stored.userID, fileName: stored.fileName) == nil)
        try await cache.put(stored)
        #expect(try await cache.get(userID: stored.userID, fileName: stored.fileName) == stored)
        let key = RedisMetadataCache.key(userID: stored.userID, fileName: stored.fileName)
        #expect(key == "uds:meta:user%3A1%20%C3%BC:report%3A%20final%20%282%29.pdf")
        let otherName = try FileName(validating: "report: final (3).pdf")
        #expect(try await cache.get(userID: stored.userID, fileName: otherName) == nil)
        try await cache.invalidate(userID: stored.userID, fileName: stored.fileName)
        #expect(try await cache.get(userID: stored.userID, fileName: stored.fileName) == nil)

        // Expiry is Redis's job; what the cache owes is the TTL on every entry it writes.
        let written = ContinuousClock.now
        try await cache.put(stored)
        guard case .integer(let ttl) = try await redis.execute("TTL", key) else {
            Issue.record("TTL did not answer an integer")
            return
        }
        #expect(isFreshTTL(ttl, of: 600, setAfter: written), "the entry carries the metadata TTL: \(ttl)")
    }

    @Test("an undecodable metadata entry is a miss")
    func metadataGarbage() async throws {
        let redis = try client(try await RedisServer.shared())
        let cache = RedisMetadataCache(client: redis, logger: logger)
        let stored = try record(user: "garbage-user", name: "x")
        try await redis.set(
            RedisMetadataCache.key(userID: stored.userID, fileName: stored.fileName), value: ByteBuffer(string: "{"))
        #expect(try await cache.get(userID: stored.userID, fileName: stored.fileName) == nil)
    }

    @Test("a killed redis-server fails fast with .cacheUnavailable, then recovers after a restart on the same port")
    func killAndRecover() async throws {
        let server = try await RedisServer.start()
        let redis = try client(server, backoff: .milliseconds(500))
        let cache = RedisBlobCache(client: redis)
        let id = FileID.generate()
        try await cache.store(ByteBuffer(string: "before"), for: id)
        #expect(redis.isHealthy)

        await RedisOutageCheck.expectFastFailuresAfterKill(cache, holding: id, redis: redis, on: server)
        await #expect(throws: CoreStoreError(.cacheUnavailable)) { try await cache.checkReachable() }

        let restarted = try await RedisServer.start(port: server.port)
        defer { restarted.process.kill() }
        let deadline = ContinuousClock.now + .seconds(10)
        var recovered = false
        while ContinuousClock.now < deadline, !recovered {
            recovered = (try? await cache.checkReachable()) != nil
            if !recovered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(recovered)
        #expect(redis.isHealthy)
        #expect(try await cache.blob(for: id) == nil)  // no persistence: the restarted server is empty
        try await cache.store(ByteBuffer(string: "after"), for: id)
        #expect(try await cache.blob(for: id) == ByteBuffer(string: "after"))
    }

    @Test("a hung redis-server costs one command timeout, then calls fail fast")
    func hungServer() async throws {
        let server = try await RedisServer.start()
        defer { server.process.kill() }
        let redis = try client(server, commandTimeout: .milliseconds(300), backoff: .seconds(30))
        try await RedisOutageCheck.expectOneTimeoutThenFailFast(redis, on: server)
    }

    @Test("AUTH and SELECT from the URL", .timeLimit(.minutes(1)))
    func authAndSelect() async throws {
        let server = try await RedisServer.start()
        defer { server.process.kill() }
        let admin = try client(server)
        _ = try await admin.execute("CONFIG", "SET", "requirepass", "s3cr%t")
        let url = "redis://:s3cr%25t@127.0.0.1:\(server.port)/3"
        let authed = try RedisClient(configuration: .init(url: url), blockingPool: redisTestPool, logger: logger)
        try await authed.set("selected", value: ByteBuffer(string: "db3"))
        #expect(
            try await authed.execute("CLIENT", "INFO").bytes.map { String(decoding: $0, as: UTF8.self) }?
                .contains("db=3") == true)
        let wrong = try RedisClient(
            configuration: .init(url: "redis://:nope@127.0.0.1:\(server.port)"), blockingPool: redisTestPool,
            logger: logger)
        await #expect(throws: CoreStoreError(.cacheUnavailable)) { try await wrong.ping() }
    }

    @Test("concurrent commands share the connection pool without mixing replies")
    func concurrentCommands() async throws {
        let cache = RedisBlobCache(client: try client(try await RedisServer.shared()))
        try await RedisSharingCheck.expectConcurrentReadsUnmixed(cache)
    }

    @Test("redis URLs parse; bad ones are refused")
    func urls() throws {
        #expect(throws: CoreStoreError.self) {
            try RedisClient(configuration: .init(url: "http://x"), blockingPool: redisTestPool, logger: logger)
        }
        #expect(throws: CoreStoreError.self) {
            try RedisClient(configuration: .init(url: "redis://h:99999"), blockingPool: redisTestPool, logger: logger)
        }
        #expect(throws: CoreStoreError.self) {
            try RedisClient(configuration: .init(url: "redis://h/x"), blockingPool: redisTestPool, logger: logger)
        }
        _ = try RedisClient(
            configuration: .init(url: "redis://[::1]:6380/2"), blockingPool: redisTestPool, logger: logger)
        _ = try RedisClient(
            configuration: .init(url: "redis://user:pw@host"), blockingPool: redisTestPool, logger: logger)
    }
}
