import CoreStore
import Foundation
import Synchronization

/// The production shape on loopback: PostgreSQL with two shard databases, SeaweedFS, redis-server,
/// two upload nodes and two download nodes (each with its own data directory, as each host has its
/// own spool and cache), and haproxy in front as the load balancer. Every part is a real process
/// started by the test on 127.0.0.1 and stopped by PID.
public final class LocalFleet: Sendable {
    /// The metadata server and its shard databases (in shard order).
    public let postgres: PostgresServer
    /// The shard database names, in the order of the node's `metadataUrls`.
    public let shardDatabases: [String]
    /// The object store.
    public let weed: WeedServer
    /// The bucket and key prefix the nodes write under (unique per fleet).
    public let bucket = "fleet"
    /// The key prefix of this fleet's objects.
    public let keyPrefix: String
    /// The shared HS256 secret every node verifies tokens with.
    public let secret: String
    /// The nodes' flags, without `--data-dir` and `--port`.
    public let commonArguments: [String]
    /// Upload nodes, download nodes (replaced on restart).
    public let uploads: LockedNodes
    /// Download nodes (replaced on restart).
    public let downloads: LockedNodes
    /// The load balancer.
    public let proxy: HAProxyServer
    /// The nodes' data directories, by node name (`upload1` …).
    public let dataDirectories: [String: String]

    /// Whether a fleet can start: PostgreSQL, haproxy, redis-server and weed are there, or required.
    public static var isAvailable: Bool {
        IntegrationEnvironment.isAvailable && PostgresServer.isAvailable && HAProxyServer.isAvailable
    }

    /// Where the nodes reach their backends: the servers' own ports, or proxies a test puts
    /// between (``FaultProxy``).
    public struct BackendPorts: Sendable {
        /// SeaweedFS's S3 port.
        public var s3: Int
        /// redis-server's port.
        public var redis: Int
        /// PostgreSQL's port.
        public var postgres: Int

        /// Creates the ports.
        public init(s3: Int, redis: Int, postgres: Int) {
            self.s3 = s3
            self.redis = redis
            self.postgres = postgres
        }
    }

    /// Starts everything and waits until haproxy sees every node ready.
    /// - Parameters:
    ///   - label: Names the fleet's folders and key prefix.
    ///   - weed: The object store (the shared one when `nil`; pass a private one to kill it).
    ///   - redis: The cache (the shared one when `nil`).
    ///   - postgres: The metadata server (the shared one when `nil`; pass a private one to kill it).
    ///   - route: Where the nodes reach the backends, given the servers' own ports.
    ///   - extraArguments: More node flags (timeouts).
    public static func start(
        label: String, weed: WeedServer? = nil, redis: RedisServer? = nil, postgres: PostgresServer? = nil,
        route: (BackendPorts) throws -> BackendPorts = { $0 }, extraArguments: [String] = []
    ) async throws -> LocalFleet {
        var postgres = postgres
        if postgres == nil { postgres = try await PostgresServer.shared() }
        guard let postgres else { throw ContractViolation(description: "no metadata server", location: #fileID) }
        let shards = [try await postgres.createDatabase("\(label)0"), try await postgres.createDatabase("\(label)1")]
        var weed = weed
        if weed == nil { weed = try await WeedServer.shared() }
        var redis = redis
        if redis == nil { redis = try await RedisServer.shared() }
        guard let weed, let redis else { throw ContractViolation(description: "no backends", location: #fileID) }
        let ports = try route(BackendPorts(s3: weed.s3Port, redis: redis.port, postgres: postgres.port))
        let prefix = "\(label)-\(UUID().uuidString.prefix(6).lowercased())"
        let secret = "fleet-secret-" + UUID().uuidString
        let common =
            [
                "--metadata-urls",
                shards.map { "postgres://postgres@127.0.0.1:\(ports.postgres)/\($0)?sslmode=disable" }
                    .joined(separator: ","),
                "--s3-endpoint", "http://127.0.0.1:\(ports.s3)", "--s3-bucket", "fleet", "--s3-create-bucket",
                "--s3-access-key", weed.accessKey, "--s3-secret-key", weed.secretKey,
                "--redis-url", "redis://127.0.0.1:\(ports.redis)",
                "--key-prefix", prefix, "--auth-hs256-secret", secret, "--log-level", "warning",
                // A restarted node re-checks a dead process's journals every second for 5 s (late S3 completions).
                "--sweep-interval-seconds", "1", "--leftover-grace-seconds", "5",
            ] + extraArguments
        var directories: [String: String] = [:]
        for name in ["upload1", "upload2", "download1", "download2"] {
            directories[name] = IntegrationEnvironment.temporaryDirectory("\(label)-\(name)")
        }
        // Nodes start one after another: the first migrates the schema, the rest find it current.
        var uploadNodes: [NodeProcess] = []
        var downloadNodes: [NodeProcess] = []
        for index in 1...2 {
            uploadNodes.append(
                try await NodeProcess.start(
                    "upload-node", arguments: common + ["--data-dir", directories["upload\(index)"]!]))
            downloadNodes.append(
                try await NodeProcess.start(
                    "download-node", arguments: common + ["--data-dir", directories["download\(index)"]!]))
        }
        let proxy = try await HAProxyServer.start(
            uploadPorts: uploadNodes.map(\.port), downloadPorts: downloadNodes.map(\.port))
        let fleet = LocalFleet(
            postgres: postgres, shardDatabases: shards, weed: weed, keyPrefix: prefix, secret: secret,
            commonArguments: common, uploads: LockedNodes(uploadNodes), downloads: LockedNodes(downloadNodes),
            proxy: proxy, dataDirectories: directories)
        try await fleet.waitUntilBalanced()
        return fleet
    }

    private init(
        postgres: PostgresServer, shardDatabases: [String], weed: WeedServer, keyPrefix: String, secret: String,
        commonArguments: [String], uploads: LockedNodes, downloads: LockedNodes, proxy: HAProxyServer,
        dataDirectories: [String: String]
    ) {
        self.postgres = postgres
        self.shardDatabases = shardDatabases
        self.weed = weed
        self.keyPrefix = keyPrefix
        self.secret = secret
        self.commonArguments = commonArguments
        self.uploads = uploads
        self.downloads = downloads
        self.proxy = proxy
        self.dataDirectories = dataDirectories
    }

    /// A token for `user`, signed with the fleet's secret (what `upload-node dev-token` prints).
    public func token(user: String) throws -> String {
        HMACTokenVerifier.issue(userID: try UserID(validating: user), ttl: 3600, secret: Array(secret.utf8))
    }

    /// Kills a node with SIGKILL (`upload` or `download`, index 0 or 1) and waits for it to exit.
    public func kill(upload: Bool, index: Int) async {
        let node = (upload ? uploads : downloads).nodes[index]
        node.process.kill()
        await node.process.waitForExit(timeout: 10)
    }

    /// Starts a killed node again on its port with its data directory.
    public func restart(upload: Bool, index: Int) async throws {
        let list = upload ? uploads : downloads
        let name = (upload ? "upload" : "download") + "\(index + 1)"
        let node = try await NodeProcess.start(
            upload ? "upload-node" : "download-node",
            arguments: commonArguments + ["--data-dir", dataDirectories[name]!], port: list.nodes[index].port)
        list.replace(index, with: node)
        try await waitUntilBalanced()
    }

    /// Waits (up to 20 s) until every node answers `/readyz` through its own port, then one more
    /// haproxy check interval so the balancer has marked it up.
    public func waitUntilBalanced() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        for node in uploads.nodes + downloads.nodes {
            while true {
                let status = (try? await CurlCommand.run(["\(node.baseURL)/readyz"], timeout: 2))?.status ?? -1
                if status == 200 { break }
                guard ContinuousClock.now < deadline else {
                    throw ContractViolation(description: "node \(node.port) not ready: \(status)", location: #fileID)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        // haproxy checks every 500 ms and marks a server up after one passed check.
        let health = try await proxyServerStates()
        var states = health
        while states.contains(where: { $0 != "UP" }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            states = try await proxyServerStates()
        }
        guard !states.contains(where: { $0 != "UP" }) else {
            throw ContractViolation(description: "haproxy sees servers \(states)", location: #fileID)
        }
    }

    /// The states haproxy reports for its servers (`UP`, `DOWN` …), from its stats CSV.
    private func proxyServerStates() async throws -> [String] {
        let result = try await CurlCommand.run(["http://127.0.0.1:\(proxy.port)/haproxy-stats;csv"], timeout: 2)
        return result.body.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > 17, fields[1].hasPrefix("upload") || fields[1].hasPrefix("download") else {
                return nil
            }
            return String(fields[17]).components(separatedBy: " ").first
        }
    }

    /// Cache leftovers of the download nodes: files in a cache's `tmp/` (fills not finished) and
    /// data files without their `.meta` sidecar (none once every download has ended).
    public func cacheLeftovers() -> [String] {
        ["download1", "download2"].flatMap { name -> [String] in
            let cache = dataDirectories[name]! + "/cache"
            let temporary = ((try? FileManager.default.contentsOfDirectory(atPath: cache + "/tmp")) ?? [])
            let objects = Set((try? FileManager.default.contentsOfDirectory(atPath: cache + "/objects")) ?? [])
            let unvouched = objects.filter { !$0.hasSuffix(".meta") && !objects.contains($0 + ".meta") }
            return (temporary.map { "tmp/\($0)" } + unvouched.sorted()).map { "\(name)/\($0)" }
        }
    }

    /// Upload files currently in the upload nodes' spool folders (none once every upload has
    /// ended; idle journal files kept for reuse are not listed).
    public func spoolEntries() -> [String] {
        ["upload1", "upload2"].flatMap { name -> [String] in
            SpoolListing.uploadEntries(in: dataDirectories[name]! + "/spool").map { "\(name)/\($0)" }
        }
    }

    /// Stops every node and haproxy (the shared PostgreSQL, SeaweedFS and Redis stay for other tests).
    public func stop() async {
        for node in uploads.nodes + downloads.nodes {
            node.process.terminate()
            _ = await node.process.waitForExit(timeout: 20)
        }
        await proxy.stop()
    }
}

/// The nodes of one kind; a restarted node replaces its predecessor.
public final class LockedNodes: Sendable {
    private let storage: Mutex<[NodeProcess]>

    init(_ nodes: [NodeProcess]) { storage = Mutex(nodes) }

    /// The current nodes.
    public var nodes: [NodeProcess] { storage.withLock { $0 } }

    func replace(_ index: Int, with node: NodeProcess) { storage.withLock { $0[index] = node } }
}
