import CoreStore
import Foundation
import TestSupport
import Testing

/// A shard whose server dies mid-test: only that shard's users get `.metadataUnavailable`.
@Suite(
    "Sharded metadata with one PostgreSQL shard killed",
    .enabled(if: PostgresServer.isAvailable, Comment(rawValue: PostgresServer.skipReason)))
struct PostgresShardFailureTests {
    @Test("one shard down → only its users get METADATA_UNAVAILABLE; the other shard keeps serving")
    func oneShardDown() async throws {
        let shared = try await PostgresServer.shared()
        let doomed = try await PostgresServer.start()
        let urls = [
            shared.url(database: try await shared.createDatabase("alive")),
            doomed.url(database: try await doomed.createDatabase("doomed")),
        ]
        try await PostgresServer.withBackend(urls: urls, logger: quietLogger) { backend in
            let sharded = try #require(backend.store as? ShardedMetadataStore)
            var users: [Int: UserID] = [:]
            var index = 0
            while users.count < 2 {
                let user = try UserID(validating: "down-\(index)-\(UUID().uuidString)")
                let shard = sharded.map.shard(for: user)
                if users[shard] == nil { users[shard] = user }
                index += 1
            }
            let alive = try #require(users[0])
            let lost = try #require(users[1])
            let aliveRecord = MetadataStoreContract.makeRecord(user: alive, name: "a.txt")
            let lostRecord = MetadataStoreContract.makeRecord(user: lost, name: "b.txt")
            _ = try await sharded.commit(aliveRecord)
            _ = try await sharded.commit(lostRecord)
            _ = try await sharded.remove(userID: alive, fileName: aliveRecord.fileName)

            await doomed.kill()

            let started = ContinuousClock.now
            try await checkThrows("METADATA_UNAVAILABLE", "lookup on the dead shard") {
                _ = try await sharded.record(userID: lost, fileName: lostRecord.fileName)
            }
            try await checkThrows("METADATA_UNAVAILABLE", "commit on the dead shard") {
                _ = try await sharded.commit(MetadataStoreContract.makeRecord(user: lost, name: "c.txt"))
            }
            try await checkThrows("METADATA_UNAVAILABLE", "listing on the dead shard") {
                _ = try await sharded.list(userID: lost, limit: 10, cursor: nil)
            }
            #expect(ContinuousClock.now - started < .seconds(20), "failures come within the query timeout")

            let replacement = MetadataStoreContract.makeRecord(user: alive, name: "a.txt", offset: 1)
            #expect(try await sharded.commit(replacement) == nil)
            #expect(try await sharded.record(userID: alive, fileName: replacement.fileName) == replacement)
            #expect(try await sharded.list(userID: alive, limit: 10, cursor: nil).files == [replacement])
            let pending = try await sharded.pendingDeletions(limit: 100).map(\.fileID)
            #expect(pending.contains(aliveRecord.fileID), "the live shard's pending deletions still come back")
            try await sharded.purge(fileID: aliveRecord.fileID)
            #expect(try await !sharded.pendingDeletions(limit: 100).map(\.fileID).contains(aliveRecord.fileID))

            let probeStarted = ContinuousClock.now
            let statuses = await sharded.shardStatuses()
            #expect(ContinuousClock.now - probeStarted < .seconds(5), "readiness checks have a short deadline")
            #expect(statuses[0].error == nil)
            #expect(statuses[1].error?.code == .metadataUnavailable)
            await #expect(throws: CoreStoreError.self) { try await sharded.checkReachable() }
        }
    }
}
