import CoreStore
import Foundation
import Logging
import TestSupport
import Testing

/// Resumable-upload state on a real PostgreSQL: one database and two shards pass the same contract
/// as SQLite (create, owner-scoped read, optimistic advance, expiry listing, remove).
@Suite(
    "resumable upload state on PostgreSQL",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.skipReason)))
struct ResumablePostgresTests {
    @Test("one database and two shards pass the resumable-upload state contract")
    func contract() async throws {
        let server = try await PostgresServer.shared()
        let single = [server.url(database: try await server.createDatabase("tus"))]
        let sharded = [
            server.url(database: try await server.createDatabase("tus0")),
            server.url(database: try await server.createDatabase("tus1")),
        ]
        for urls in [single, sharded] {
            try await PostgresServer.withBackend(urls: urls, logger: TestNode.logger) { backend in
                let store = try #require(backend.store as? any ResumableUploadStore)
                for _ in 0..<4 { try await ResumableStoreContract.run(store) }
            }
        }
    }
}
