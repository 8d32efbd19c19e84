public import CoreStore
import Foundation
public import Logging
import Synchronization

/// A real SeaweedFS S3 server (`weed server`) on free 127.0.0.1 ports, with SigV4 really enforced.
///
/// The arguments are the repository's one SeaweedFS start-up definition, `scripts/weed-server.json`
/// (every port explicit, the optional services off), shared with `scripts/bench`; the data
/// directory is fresh.
/// Use ``shared()`` for the one instance of a test process, or ``start()`` for a private one
/// a test may kill.
public final class WeedServer: Sendable {
    /// `http://127.0.0.1:<s3 port>`.
    public let endpoint: String
    /// The S3 port.
    public let s3Port: Int
    /// The access key of the only identity.
    public let accessKey = "weedTestAccessKey"
    /// Its secret.
    public let secretKey = "weedTestSecretKey123"
    /// Signing region.
    public let region = "us-east-1"
    /// The temporary directory holding data, identities and the log.
    public let directory: String
    /// The running process (replaced by ``restart()``).
    private let current: Mutex<ManagedProcess>
    private var process: ManagedProcess { current.withLock { $0 } }
    private let arguments: [String]

    /// A blocking pool for test stores.
    public static let testPool = BlockingPool(threads: 16)

    /// The shared instance of this test process (started on first use).
    public static func shared() async throws -> WeedServer {
        try await WeedServerRegistry.instance.server()
    }

    /// Starts a private instance and waits (≤ 40 s) until its S3 port answers.
    /// - Throws: ``ContractViolation`` when `weed` is missing or does not come up.
    public static func start() async throws -> WeedServer {
        try await FreePort.retrying {
            let directory = IntegrationEnvironment.temporaryDirectory("weed")
            let server = try WeedServer(directory: directory, ports: FreePort.distinct(8))
            try await server.waitUntilReady(timeout: 40)
            return server
        }
    }

    private init(directory: String, ports: [Int]) throws {
        let identities = """
            {"identities": [{"name": "test_admin",
              "credentials": [{"accessKey": "weedTestAccessKey", "secretKey": "weedTestSecretKey123"}],
              "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
            """
        try identities.write(toFile: "\(directory)/s3.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(directory)/data", withIntermediateDirectories: true)
        self.directory = directory
        self.s3Port = ports[6]
        self.endpoint = "http://127.0.0.1:\(ports[6])"
        self.arguments = try WeedServerArguments.make(directory: directory, ports: ports, volumeSizeLimitMB: 64)
        self.current = Mutex(
            try ManagedProcess(executable: "weed", arguments: arguments, logPath: "\(directory)/weed.log"))
    }

    /// Starts a stopped or killed server again on the same ports and data, and waits (≤ 40 s) until
    /// its S3 port answers.
    /// - Throws: ``ContractViolation`` when it does not come up.
    public func restart() async throws {
        // A new log (and so a new pid file, `<log>.pid`): with the same one, the new process could be
        // taken for the killed one, whose pid the file still held.
        let log = "\(directory)/weed-restart-\(UUID().uuidString.prefix(6)).log"
        let process = try ManagedProcess(executable: "weed", arguments: arguments, logPath: log)
        current.withLock { $0 = process }
        try await waitUntilReady(timeout: 40)
    }

    private func waitUntilReady(timeout: Double) async throws {
        let client = CurlHTTPClient(pool: Self.testPool, logger: Self.quietLogger)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else { break }
            if let answer = try? await client.get(url: endpoint + "/", timeout: 2), answer.status == 403 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        process.kill()
        throw ContractViolation(
            description: "weed did not answer on \(endpoint) within \(timeout) s; log:\n\(process.log().suffix(3000))",
            location: #fileID)
    }

    /// A configuration for `bucket` on this server.
    /// - Parameters:
    ///   - bucket: Bucket name.
    ///   - secretKey: Override to test a wrong secret.
    public func configuration(bucket: String, secretKey: String? = nil) -> S3Configuration {
        S3Configuration(
            endpoint: endpoint, region: region, bucket: bucket,
            credentials: .static(accessKey: accessKey, secretKey: secretKey ?? self.secretKey),
            baseBackoff: 0.05)
    }

    /// A store for `bucket`, with the bucket created (retried while the fresh server settles).
    /// - Parameters:
    ///   - bucket: Bucket name (S3 rules: lowercase, digits, `-`).
    ///   - logger: Logger for the store (default: quiet).
    public func makeStore(bucket: String, logger: Logger = WeedServer.quietLogger) async throws -> S3ObjectStore {
        let store = S3ObjectStore(configuration: configuration(bucket: bucket), pool: Self.testPool, logger: logger)
        let deadline = Date().addingTimeInterval(20)
        while true {
            do {
                try await store.ensureBucket()
                return store
            } catch {
                guard Date() < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Whether the server process is alive.
    public var isRunning: Bool { process.isRunning }

    /// Kills the server at once (SIGKILL), e.g. to test an unreachable store.
    public func kill() async {
        process.kill()
        await process.waitForExit(timeout: 10)
    }

    /// Stops the server (SIGTERM, then SIGKILL after `timeout` seconds).
    public func stop(timeout: Double = 20) async {
        process.terminate()
        if await !process.waitForExit(timeout: timeout) { await kill() }
    }

    /// The server's log so far.
    public func log() -> String { process.log() }

    /// A logger that prints only critical messages.
    public static var quietLogger: Logger {
        var logger = Logger(label: "weed-test")
        logger.logLevel = .critical
        return logger
    }
}

/// Holds the shared ``WeedServer`` of the test process; concurrent callers share one start.
private actor WeedServerRegistry {
    static let instance = WeedServerRegistry()
    private var starting: Task<WeedServer, any Error>?

    func server() async throws -> WeedServer {
        if let starting { return try await starting.value }
        let task = Task { try await WeedServer.start() }
        starting = task
        return try await task.value
    }
}
