import CoreStore
import Foundation
import Synchronization
import TestSupport
import Testing

/// The fault suite's fleet (``LocalFleet``: two shards, 2 + 2 nodes, haproxy) on its own
/// SeaweedFS, redis-server and PostgreSQL (so they can be killed), with a ``FaultProxy`` between
/// the nodes and each of the three.
final class FaultBench: Sendable {
    let fleet: LocalFleet
    let driver: FleetDriver
    /// Between the nodes and SeaweedFS's S3 port.
    let s3: FaultProxy
    /// Between the nodes and redis-server.
    let redis: FaultProxy
    /// Between the nodes and PostgreSQL.
    let postgres: FaultProxy
    let weed: WeedServer
    private let redisServer: Mutex<RedisServer>
    private let postgresServer: Mutex<PostgresServer>
    /// The nodes' PIDs at start: recovery must happen without a restart by hand.
    let startPIDs: [Int32]

    /// The node flags of the suite: multipart from 5 MiB (so uploads cross S3 in parts), objects
    /// up to 100 kB pushed to Redis (larger ones are read from S3), short metadata timeouts.
    static let nodeArguments = [
        "--multipart-threshold-bytes", "5242880", "--multipart-part-bytes", "5242880",
        "--redis-push-max-bytes", "100000", "--redis-max-blob-bytes", "100000",
        "--metadata-connect-timeout-seconds", "2", "--metadata-query-timeout-seconds", "3",
    ]

    private init(
        fleet: LocalFleet, s3: FaultProxy, redis: FaultProxy, postgres: FaultProxy, weed: WeedServer,
        redisServer: RedisServer, postgresServer: PostgresServer
    ) throws {
        self.fleet = fleet
        self.driver = try FleetDriver(fleet: fleet)
        self.s3 = s3
        self.redis = redis
        self.postgres = postgres
        self.weed = weed
        self.redisServer = Mutex(redisServer)
        self.postgresServer = Mutex(postgresServer)
        startPIDs = (fleet.uploads.nodes + fleet.downloads.nodes).map(\.process.pid)
    }

    /// Starts the servers, the proxies and the fleet.
    static func start(label: String) async throws -> FaultBench {
        let weed = try await WeedServer.start()
        let redisServer = try await RedisServer.start()
        let postgresServer = try await PostgresServer.start()
        let s3 = try FaultProxy.start(targetPort: weed.s3Port)
        let redis = try FaultProxy.start(targetPort: redisServer.port)
        let postgres = try FaultProxy.start(targetPort: postgresServer.port)
        do {
            let fleet = try await LocalFleet.start(
                label: label, weed: weed, redis: redisServer, postgres: postgresServer,
                route: { _ in .init(s3: s3.port, redis: redis.port, postgres: postgres.port) },
                extraArguments: nodeArguments)
            return try FaultBench(
                fleet: fleet, s3: s3, redis: redis, postgres: postgres, weed: weed, redisServer: redisServer,
                postgresServer: postgresServer)
        } catch {
            for proxy in [s3, redis, postgres] { await proxy.stop() }
            await weed.stop()
            await redisServer.kill()
            await postgresServer.kill()
            throw error
        }
    }

    /// Stops the client, the fleet, the proxies and the private servers.
    func stop() async {
        try? await driver.shutdown()
        await fleet.stop()
        for proxy in proxies { await proxy.stop() }
        await weed.stop()
        await redisServer.withLock { $0 }.kill()
        await postgresServer.withLock { $0 }.kill()
    }

    var proxies: [FaultProxy] { [s3, redis, postgres] }

    /// Every node: upload nodes first.
    var nodes: [NodeProcess] { fleet.uploads.nodes + fleet.downloads.nodes }

    /// Starts the killed SeaweedFS again and waits (up to 60 s) until it serves an object's bytes
    /// again, not just its S3 port: after `kill -9` its volume server takes a while to come back,
    /// and until then the nodes rightly answer 503.
    func restartWeed() async throws {
        try await weed.restart()
        let store = try await weed.makeStore(bucket: fleet.bucket)
        guard let key = try await fleet.objectKeys().first else { return }
        let path = IntegrationEnvironment.temporaryDirectory("weed-probe") + "/object"
        let serving = await eventually(timeout: .seconds(60)) {
            (try? await store.getObject(key: ObjectKey(rawValue: key), range: 0...0, toFile: path)) != nil
        }
        if !serving { Issue.record("SeaweedFS restarted but does not serve \(key) within 60 s") }
    }

    /// Kills redis-server (SIGKILL).
    func killRedis() async { await redisServer.withLock { $0 }.kill() }

    /// Starts redis-server again on its port (empty: it keeps nothing on disk).
    func restartRedis() async throws {
        let port = redisServer.withLock { $0.port }
        let server = try await RedisServer.start(port: port)
        redisServer.withLock { $0 = server }
    }

    /// Kills the PostgreSQL postmaster (SIGKILL; its backends exit when they notice).
    func killPostgres() async { await postgresServer.withLock { $0 }.kill() }

    /// Starts PostgreSQL again on its port and data (crash recovery keeps every committed row).
    func restartPostgres() async throws {
        let server = try await postgresServer.withLock { $0 }.restarted()
        postgresServer.withLock { $0 = server }
    }

    /// Each node's `/readyz`: status (-1 when no answer within 5 s) and body.
    func readiness() async -> [(status: Int, body: String)] {
        var answers: [(Int, String)] = []
        for node in nodes {
            let result = try? await CurlCommand.run(["\(node.baseURL)/readyz"], timeout: 5)
            answers.append((result.map { $0.status == 0 ? -1 : $0.status } ?? -1, result?.body ?? ""))
        }
        return answers
    }

    /// Waits like ``eventuallyReady(_:timeout:_:)``; when it runs out, records a test issue with
    /// `what` and the last answers.
    func expectReadiness(
        _ status: Int, _ what: String, timeout: Duration = .seconds(30),
        _ check: @escaping (String) -> Bool = { _ in true }
    ) async {
        guard await !eventuallyReady(status, timeout: timeout, check) else { return }
        let answers = await readiness()
        Issue.record("\(what): expected readyz \(status) on every node, got \(answers)")
    }

    /// Waits (up to `timeout`) until every node's `/readyz` answers `status` in time, and every
    /// body satisfies `check`.
    func eventuallyReady(
        _ status: Int, timeout: Duration = .seconds(30), _ check: @escaping (String) -> Bool = { _ in true }
    ) async -> Bool {
        await eventually(timeout: timeout) {
            await readiness().allSatisfy { $0.status == status && check($0.body) }
        }
    }
}

/// Counts finished transfers, so faults can be switched after the first n of a batch.
final class TransferProgress: Sendable {
    private let count = Mutex(0)

    /// Records one finished transfer.
    func add() { count.withLock { $0 += 1 } }

    /// How many finished.
    var completed: Int { count.withLock { $0 } }

    /// Waits until `n` transfers finished (at most `timeout`).
    func wait(for n: Int, timeout: Duration = .seconds(120)) async {
        _ = await eventually(timeout: timeout) { completed >= n }
    }
}

extension FaultBench {
    /// Runs `operation` for every file, all at once, while `chaos` runs beside it with the count of
    /// finished transfers; returns every result once both are done.
    func transfers(
        _ files: [FleetFile], _ operation: @escaping @Sendable (FleetFile) async throws -> FleetDriver.Result,
        during chaos: (TransferProgress) async throws -> Void = { _ in }
    ) async throws -> [FleetDriver.Result] {
        let progress = TransferProgress()
        async let results = driver.concurrently(files) { file in
            defer { progress.add() }
            return try await operation(file)
        }
        try await chaos(progress)
        return await results
    }

    /// Uploads directly to an upload node (alternating by file), so the answer is the node's own.
    func upload(_ file: FleetFile) async throws -> FleetDriver.Result {
        try await driver.upload(file, via: .upload(file.shard))
    }

    /// Downloads directly from a download node (alternating by file).
    func download(_ file: FleetFile) async throws -> FleetDriver.Result {
        try await driver.download(file, via: .download(file.shard))
    }
}

extension FleetFile {
    /// 0 or 1 from the file's name, to spread files over two nodes.
    var shard: Int { name.utf8.reduce(0) { $0 &+ Int($1) } % 2 }

    /// The fault suite's files: `count` names from `first` on, a mix of 1 KiB, 100 kB, 1 MiB and
    /// (every tenth) 6 MiB, which goes to S3 as a multipart upload.
    static func faultBatch(first: Int, count: Int) -> [FleetFile] {
        (first..<(first + count)).map { index in
            let size = index % 10 == 0 ? 6 << 20 : index % 3 == 0 ? 1 << 20 : index % 3 == 1 ? 100_000 : 1_024
            return FleetFile(index: index, version: 0, size: size)
        }
    }
}
