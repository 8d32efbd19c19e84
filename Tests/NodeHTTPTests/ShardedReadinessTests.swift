import CoreStore
import Foundation
import Logging
import Testing

@testable import NodeHTTP

@Suite("Sharded readiness: every shard reported, not ready only when all are down")
struct ShardedReadinessTests {
    @Test(
        "shard states → readiness and the metadata summary",
        arguments: [
            ([true, true], true, "ok"),
            ([true, false], true, "degraded: 1 of 2 shards unavailable"),
            ([false, true, true], true, "degraded: 1 of 3 shards unavailable"),
            ([false, false], false, "METADATA_UNAVAILABLE: metadata store unavailable - please retry later"),
        ])
    func summary(up: [Bool], ready: Bool, metadata: String) async {
        let store = ShardedMetadataStore(
            shards: up.enumerated().map { .init(store: StubShard(up: $1), label: "db\($0):5432/uds") },
            logger: Logger(label: "readiness-tests"))
        var checks: [String: String] = [:]
        #expect(await ReadinessProbe.checkShards(store, into: &checks) == ready)
        #expect(checks["metadata"] == metadata)
        for (index, isUp) in up.enumerated() {
            let expected =
                isUp
                ? "ok" : "METADATA_UNAVAILABLE: metadata store unavailable - please retry later (db\(index):5432/uds)"
            #expect(checks["metadata.shard.\(index)"] == expected)
        }
    }
}

/// A shard that only answers reachability checks (up or down).
private struct StubShard: PendingDeletionListing {
    let up: Bool

    private func answer() throws {
        if !up { throw CoreStoreError(.metadataUnavailable) }
    }

    func record(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        try answer()
        return nil
    }
    func commit(_ record: FileRecord, quota: StorageQuota) async throws -> FileRecord? {
        try answer()
        return nil
    }
    func usage(userID: UserID, excluding: FileName?) async throws -> StorageUsage {
        try answer()
        return StorageUsage(bytes: 0, files: 0)
    }
    func remove(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        try answer()
        return nil
    }
    func purge(fileID: FileID) async throws { try answer() }
    func pendingDeletions(limit: Int) async throws -> [FileRecord] {
        try answer()
        return []
    }
    func pendingDeletionsWithTimes(limit: Int) async throws -> [PendingDeletion] {
        try answer()
        return []
    }
    func list(userID: UserID, limit: Int, cursor: String?) async throws -> FilePage {
        try answer()
        return FilePage(files: [], nextCursor: nil)
    }
    func recordAccess(_ times: [FileID: Date]) async throws { try answer() }
    func checkReachable() async throws { try answer() }
}
