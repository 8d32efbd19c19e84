import CoreStore
import Foundation
import TestSupport
import Testing

/// Issue 17's start-up promise at fleet scale: 50 node processes (the size of a large autoscaling
/// step) started at once against one fresh database migrate it exactly once, all become healthy,
/// and all stop cleanly. Runs alone after the main run (`scripts/test`): 50 start-ups load both cores.
@Suite(
    "50 nodes start at once on a fresh PostgreSQL database",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresFleetStartTests {
    static let nodeCount = 50

    @Test("50 upload-node processes started together: one migrates, the rest find the schema current, all serve")
    func fiftyNodesStartTogether() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase("fleetstart")
        let url = server.url(database: database)
        // Each node has its own data directory, as each host would; one pooled connection each keeps
        // the 50 nodes within the test server's max_connections beside the other suites.
        let started = try (0..<Self.nodeCount).map { index in
            let directory = IntegrationEnvironment.temporaryDirectory("fleetstart\(index)")
            return try StartedNode(
                "upload-node",
                arguments: [
                    "--data-dir", directory, "--metadata-urls", url, "--metadata-pool-size", "1",
                    "--log-level", "notice",
                ])
        }
        defer {
            for node in started { node.process.terminate() }
        }
        for node in started { try await node.waitUntilHealthy(within: .seconds(120)) }

        let versions = try await server.psql(
            database: database, "SELECT version FROM uds_schema_migrations ORDER BY version")
        #expect(versions == (1...PostgresMetadataStore.schemaVersion).map(String.init).joined(separator: "\n"))
        let migrators = started.filter { $0.process.log().contains("postgres schema migrated") }
        #expect(migrators.count == 1, "exactly one node applies the migrations; \(migrators.count) did")

        for node in started { node.process.terminate() }
        for node in started {
            #expect(await node.process.waitForExit(timeout: 60), "node on port \(node.port) exits after SIGTERM")
            #expect(node.process.exitStatus == 0, "\(node.process.log().suffix(1000))")
        }
    }
}
