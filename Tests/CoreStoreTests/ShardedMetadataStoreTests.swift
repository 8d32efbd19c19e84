import CoreStore
import Foundation
import Logging
import TestSupport
import Testing

/// The sharding logic over embedded SQLite shards (the same checks against PostgreSQL shards are
/// in `IntegrationTests/PostgresMetadataStoreTests`).
@Suite("ShardedMetadataStore over SQLite shards")
struct ShardedMetadataStoreTests {
    @Test("passes the MetadataStore contract with 3 shards")
    func contract() async throws {
        try await withShards(3) { sharded, _ in
            try await MetadataStoreContract.run { sharded }
        }
    }

    @Test("each user's rows live on exactly the shard the map names")
    func rowsLandOnTheirShard() async throws {
        try await withShards(3) { sharded, shards in
            for index in 0..<30 {
                let user = try UserID(validating: "routing-\(index)")
                let record = MetadataStoreContract.makeRecord(user: user, name: "f.txt")
                _ = try await sharded.commit(record)
                let owner = sharded.map.shard(for: user)
                for (position, shard) in shards.enumerated() {
                    let found = try await shard.record(userID: user, fileName: record.fileName)
                    #expect((found == record) == (position == owner), "user \(index) shard \(position)")
                }
            }
        }
    }

    @Test("pending deletions of all shards merge oldest first and honour the limit")
    func pendingMerge() async throws {
        try await withShards(2) { sharded, _ in
            var users: [Int: UserID] = [:]
            var index = 0
            while users.count < 2 {
                let user = try UserID(validating: "merge-\(index)-\(UUID().uuidString)")
                users[sharded.map.shard(for: user)] = users[sharded.map.shard(for: user)] ?? user
                index += 1
            }
            let order = [users[0]!, users[1]!, users[0]!, users[1]!]
            var removed: [FileID] = []
            for (position, user) in order.enumerated() {
                let record = MetadataStoreContract.makeRecord(user: user, name: "p\(position)")
                _ = try await sharded.commit(record)
                _ = try await sharded.remove(userID: user, fileName: record.fileName)
                removed.append(record.fileID)
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(try await sharded.pendingDeletions(limit: 10).map(\.fileID) == removed)
            #expect(try await sharded.pendingDeletions(limit: 3).map(\.fileID) == Array(removed.prefix(3)))
            try await sharded.purge(fileID: removed[1])
            #expect(try await sharded.pendingDeletions(limit: 10).map(\.fileID) == [removed[0]] + removed[2...])
        }
    }

    @Test("shard statuses name every shard")
    func statuses() async throws {
        try await withShards(2) { sharded, _ in
            let statuses = await sharded.shardStatuses()
            #expect(statuses.map(\.index) == [0, 1])
            #expect(statuses.allSatisfy { $0.error == nil })
            try await sharded.checkReachable()
        }
    }
}

private let logger: Logger = {
    var logger = Logger(label: "sharded-metadata-tests")
    logger.logLevel = .critical
    return logger
}()

/// `count` SQLite shards in a temporary folder, combined.
private func withShards(
    _ count: Int, _ body: (ShardedMetadataStore, [SQLiteMetadataStore]) async throws -> Void
) async throws {
    let directory = URL(fileURLWithPath: IntegrationEnvironment.processRoot).appendingPathComponent(
        "sharded-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let pool = BlockingPool(threads: 4)
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        var stores: [SQLiteMetadataStore] = []
        for index in 0..<count {
            stores.append(
                try await SQLiteMetadataStore(
                    path: directory.path + "/shard\(index).sqlite", pool: pool, logger: logger))
        }
        let sharded = ShardedMetadataStore(
            shards: stores.enumerated().map { .init(store: $1, label: "shard\($0)") }, logger: logger)
        try await body(sharded, stores)
    } catch {
        try? await pool.shutdown()
        throw error
    }
    try await pool.shutdown()
}
