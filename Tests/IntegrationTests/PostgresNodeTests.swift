import CoreStore
import Foundation
import TestSupport
import Testing

/// The real binaries on PostgreSQL metadata: several nodes starting at once against fresh shard
/// databases, an upload and download through them, per-shard readiness, and a bad URL refused.
@Suite(
    "nodes on PostgreSQL metadata (real binaries)",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresNodeTests {
    @Test("3 upload-nodes and a download-node start at once on 2 fresh shards; one version row each; upload → download")
    func nodesStartTogether() async throws {
        let server = try await PostgresServer.shared()
        let databases = [try await server.createDatabase("node0"), try await server.createDatabase("node1")]
        let directory = IntegrationEnvironment.temporaryDirectory("pgnodes")
        let urls = databases.map { server.url(database: $0) }.joined(separator: ",")
        let arguments = ["--data-dir", directory, "--metadata-urls", urls, "--log-level", "warning"]
        // Spawned back to back, then awaited: the four start-ups (and migrations) overlap. /healthz
        // is probed over a raw socket; four concurrent curl polling loops once lost a child's exit
        // in Foundation's reaping and hung the run.
        let started = try ["upload-node", "upload-node", "upload-node", "download-node"].map { name in
            try StartedNode(name, arguments: arguments)
        }
        defer {
            for node in started { node.process.terminate() }
        }
        for node in started { try await node.waitUntilHealthy() }
        for database in databases {
            let versions = try await server.psql(
                database: database, "SELECT version FROM uds_schema_migrations ORDER BY version")
            #expect(
                versions == (1...PostgresMetadataStore.schemaVersion).map(String.init).joined(separator: "\n"),
                "\(database)")
        }
        let upload = try #require(started.first { $0.name == "upload-node" })
        let download = try #require(started.first { $0.name == "download-node" })
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: directory)
        let bytes = MultipartBody.randomBytes(300_000, seed: 41)
        try await RawTransfer.put(bytes, name: "pg.bin", in: directory, token: token, to: upload.baseURL)
        try await RawTransfer.read(bytes, name: "pg.bin", in: directory, token: token, from: download.baseURL)
        let owner = UserShardMap(shardCount: 2).shard(for: try UserID(validating: "alice"))
        let rows = try await server.psql(database: databases[owner], "SELECT count(*) FROM files")
        #expect(rows == "1", "alice's row is on shard \(owner)")
        let ready = try await CurlCommand.run(["\(download.baseURL)/readyz"])
        #expect(ready.status == 200, "\(ready.body)")
        #expect(
            ready.body.contains("\"metadata.shard.0\":\"ok\"") && ready.body.contains("\"metadata.shard.1\":\"ok\""))

        // SIGTERM: drain, stop the PostgreSQL pools last, exit 0.
        for node in started { node.process.terminate() }
        for node in started {
            #expect(await node.process.waitForExit(timeout: 30), "\(node.name) exits after SIGTERM")
            #expect(node.process.exitStatus == 0, "\(node.name): \(node.process.log().suffix(1000))")
        }
    }

    @Test("a malformed metadata URL stops the node with an error naming the key, without the password")
    func badURLRefused() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("pgbad")
        let process = try ManagedProcess(
            executable: NodeProcess.binDirectory + "/upload-node",
            arguments: ["--data-dir", directory, "--metadata-urls", "mysql://root:hunter2@127.0.0.1/x", "--port", "1"],
            logPath: directory + "/node.log")
        #expect(await process.waitForExit(timeout: 20))
        #expect(process.exitStatus == 2, "a configuration error exits 2")
        let log = process.log()
        #expect(log.contains("metadataUrls (--metadata-urls, UDS_METADATA_URLS)"), "\(log)")
        #expect(log.contains("unknown scheme 'mysql'"), "\(log)")
        #expect(!log.contains("hunter2"), "\(log)")
    }
}

/// A node binary spawned without waiting for it (``NodeProcess/start`` waits per node).
struct StartedNode {
    let name: String
    let port: Int
    let process: ManagedProcess
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(_ name: String, arguments: [String]) throws {
        self.name = name
        port = FreePort.next()
        let log = IntegrationEnvironment.temporaryDirectory("log") + "/\(name).log"
        process = try ManagedProcess(
            executable: NodeProcess.binDirectory + "/" + name, arguments: arguments + ["--port", String(port)],
            logPath: log)
    }

    /// Polls `GET /healthz` over a socket until it answers 200 (`within`, 30 s unless given).
    func waitUntilHealthy(within limit: Duration = .seconds(30)) async throws {
        let request = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let reply = PosixSockets.exchange(port: port, request: request)
            if String(decoding: reply, as: UTF8.self).hasPrefix("HTTP/1.1 200") { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw NodeStartFailure(description: "\(name) did not start: \(process.log().suffix(2000))")
    }
}

private struct NodeStartFailure: Error, CustomStringConvertible {
    let description: String
}
