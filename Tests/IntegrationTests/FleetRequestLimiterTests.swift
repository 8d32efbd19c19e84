import CoreStore
import Foundation
import Logging
import NIOCore
import NodeHTTP
import TestSupport
import Testing

/// One blocking pool for the suite (a pool must be shut down before it is freed).
private let limiterTestPool = BlockingPool(threads: 2)

@Suite("fleet-wide per-user request rate in a real redis-server", .enabled(if: RedisServer.isAvailable))
struct FleetRequestLimiterTests {
    private func client(_ server: RedisServer) throws -> RedisClient {
        try RedisClient(
            configuration: .init(
                url: server.url, connectTimeout: .milliseconds(300), commandTimeout: .seconds(1),
                failureBackoff: .seconds(30)),
            blockingPool: limiterTestPool, logger: Logger(label: "test.limiter"))
    }

    /// Two nodes' limiters over one Redis bucket (a refill of one token per 100 s: none during the test).
    private func twoNodes(_ redis: RedisClient, burst: Int, lease: Int) -> [FleetRequestLimiter] {
        (0..<2).map { _ in
            FleetRequestLimiter(
                bucket: RedisTokenBucket(client: redis, scope: "test", rate: 0.01, burst: burst),
                fallback: UserRequestLimiter(requestsPerSecond: 0.01, burst: burst), leaseTokens: lease)
        }
    }

    /// Requests alternated over `nodes`; how many were admitted.
    private func admitted(_ attempts: Int, by nodes: [FleetRequestLimiter], user: UserID) async -> Int {
        var count = 0
        for attempt in 0..<attempts {
            do {
                try await nodes[attempt % nodes.count].admit(user)
                count += 1
            } catch {}
        }
        return count
    }

    @Test("two nodes together admit one burst per user, not one each; another user has its own bucket")
    func burstIsFleetWide() async throws {
        let redis = try client(try await RedisServer.shared())
        let nodes = twoNodes(redis, burst: 20, lease: 5)
        let user = try UserID(validating: "flood-\(UUID().uuidString)")
        #expect(await admitted(60, by: nodes, user: user) == 20, "a per-node bucket would admit 40")
        await #expect(throws: CoreStoreError(.rateLimited)) { try await nodes[0].admit(user) }
        let other = try UserID(validating: "calm-\(UUID().uuidString)")
        #expect(await admitted(4, by: nodes, user: other) == 4)
        guard
            case .integer(let ttl) = try await redis.execute(
                "TTL", RedisTokenBucket(client: redis, scope: "test", rate: 1, burst: 1).key(for: user))
        else {
            Issue.record("TTL did not answer an integer")
            return
        }
        #expect(ttl > 0, "the bucket expires once it would be full again")
    }

    @Test("leases: one Redis call hands a node several tokens, spent locally")
    func leasesAreSpentLocally() async throws {
        let redis = try client(try await RedisServer.shared())
        let node = twoNodes(redis, burst: 20, lease: 5)[0]
        let user = try UserID(validating: "lease-\(UUID().uuidString)")
        try await node.admit(user)
        #expect(node.leasedTokens(for: user) == 4, "5 leased, 1 spent")
        guard
            case .bulk(let tokens) = try await redis.execute(
                "HGET", RedisTokenBucket(client: redis, scope: "test", rate: 1, burst: 1).key(for: user), "tokens")
        else {
            Issue.record("the bucket has no tokens field")
            return
        }
        #expect(
            Double(String(buffer: tokens)).map { $0 < 15.01 && $0 >= 15 } == true,
            "20 - 5 in Redis: \(String(buffer: tokens))")
    }

    @Test(
        "Redis down: each node falls back to its own bucket (the per-node limit), it neither refuses all nor admits all"
    )
    func redisDownFallsBackPerNode() async throws {
        let server = try await RedisServer.start()
        let redis = try client(server)
        let nodes = twoNodes(redis, burst: 6, lease: 1)
        let user = try UserID(validating: "outage-\(UUID().uuidString)")
        await server.kill()
        #expect(await admitted(30, by: nodes, user: user) == 12, "6 per node while Redis is unreachable")
    }
}

@Suite("fleet-wide request rate through the real binaries", .enabled(if: IntegrationEnvironment.isAvailable))
struct FleetRequestLimiterEndToEndTests {
    @Test("two download-nodes on one Redis admit one burst of a user between them, then 429 with Retry-After")
    func twoNodesShareTheBurst() async throws {
        let node = try await EndToEndTests.deploy(
            label: "fleet-rate", extra: ["--user-requests-per-second", "0.01", "--user-request-burst", "6"])
        let other = try await ReadAfterWriteEndToEndTests.secondDownloadNode(node)
        let user = "rate-\(UUID().uuidString.prefix(8).lowercased())"
        let auth = "Authorization: Bearer \(try await NodeProcess.devToken(user: user, dataDirectory: node.directory))"
        var statuses: [Int] = []
        for attempt in 0..<12 {
            let base = (attempt % 2 == 0 ? node.download : other).baseURL
            let result = try await CurlCommand.run(["-H", auth, "\(base)/upload_download_service/missing.bin/\(user)"])
            statuses.append(result.status)
            if result.status == 429 { #expect(result.headers.lowercased().contains("retry-after: 1")) }
        }
        #expect(statuses.filter { $0 == 404 }.count == 6, "6 answered (404) across both nodes, not 6 each: \(statuses)")
        #expect(statuses.filter { $0 == 429 }.count == 6, "\(statuses)")
        let upload = try await CurlCommand.run([
            "-X", "DELETE", "-H", auth, "\(node.upload.baseURL)/upload_download_service/missing.bin/\(user)",
        ])
        #expect(upload.status == 404, "the upload daemon has its own budget: \(upload.body)")
    }
}
