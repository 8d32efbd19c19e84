import CoreStore
import Foundation
import TestSupport
import Testing

/// The real binaries on PostgreSQL metadata: several nodes starting at once against fresh shard
/// databases, an upload and download through them, per-shard readiness, and a bad URL refused.
@Suite("nodes on PostgreSQL metadata (real binaries)", .enabled(if: PostgresServer.isAvailable))
struct PostgresNodeTests {
    @Test("3 upload-nodes and a download-node start at once on 2 fresh shards; one version row each; upload → download")
    func nodesStartTogether() async throws {
        let server = try await PostgresServer.shared()
        let databases = [try await server.createDatabase("node0"), try await server.createDatabase("node1")]
        let directory = IntegrationEnvironment.temporaryDirectory("pgnodes")
        let urls = databases.map { server.url(database: $0) }.joined(separator: ",")
        let arguments = ["--data-dir", directory, "--metadata-urls", urls, "--log-level", "warning"]
        let started = try await withThrowingTaskGroup(of: (String, NodeProcess).self) { group in
            for name in ["upload-node", "upload-node", "upload-node", "download-node"] {
                group.addTask { (name, try await NodeProcess.start(name, arguments: arguments)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { started.forEach { $0.1.process.terminate() } }
        for database in databases {
            let versions = try await server.psql(database: database, "SELECT version FROM uds_schema_migrations")
            #expect(versions == String(PostgresMetadataStore.schemaVersion), "\(database)")
        }
        let upload = try #require(started.first { $0.0 == "upload-node" }?.1)
        let download = try #require(started.first { $0.0 == "download-node" }?.1)
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: directory)
        let bytes = MultipartBody.randomBytes(300_000, seed: 41)
        let path = EndToEndTests.file(bytes, in: directory, name: "pg.bin")
        let auth = "Authorization: Bearer \(token)"
        let put = try await CurlCommand.run([
            "-H", auth, "-H", "Content-MD5: \(MD5Hasher.digest(bytes).base64)", "-T", path,
            "\(upload.baseURL)/upload_download_service/pg.bin/alice",
        ])
        #expect(put.status == 200, "\(put.body)")
        let output = directory + "/pg.out"
        let get = try await CurlCommand.run(
            ["-H", auth, "\(download.baseURL)/upload_download_service/pg.bin/alice"], output: output)
        #expect(get.status == 200)
        #expect(FileManager.default.contents(atPath: output) == Data(bytes))
        let owner = UserShardMap(shardCount: 2).shard(for: try UserID(validating: "alice"))
        let rows = try await server.psql(database: databases[owner], "SELECT count(*) FROM files")
        #expect(rows == "1", "alice's row is on shard \(owner)")
        let ready = try await CurlCommand.run(["\(download.baseURL)/readyz"])
        #expect(ready.status == 200, "\(ready.body)")
        #expect(
            ready.body.contains("\"metadata.shard.0\":\"ok\"") && ready.body.contains("\"metadata.shard.1\":\"ok\""))
    }

    @Test("a malformed metadata URL stops the node with an error naming the key, without the password")
    func badURLRefused() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("pgbad")
        let process = try ManagedProcess(
            executable: NodeProcess.binDirectory + "/upload-node",
            arguments: ["--data-dir", directory, "--metadata-urls", "mysql://root:hunter2@127.0.0.1/x", "--port", "1"],
            logPath: directory + "/node.log")
        #expect(await process.waitForExit(timeout: 20))
        #expect(process.exitStatus == 1)
        let log = process.log()
        #expect(log.contains("metadataUrls (--metadata-urls, UDS_METADATA_URLS)"), "\(log)")
        #expect(log.contains("unknown scheme 'mysql'"), "\(log)")
        #expect(!log.contains("hunter2"), "\(log)")
    }
}
