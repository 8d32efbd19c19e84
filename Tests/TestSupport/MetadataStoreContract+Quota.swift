public import CoreStore
import Foundation

extension MetadataStoreContract {
    /// Runs the quota scenarios.
    /// - Parameter makeStore: Opens the store under test.
    public static func runQuota(_ makeStore: () async throws -> any MetadataStore) async throws {
        try await usageCountsLiveFilesOnly(makeStore())
        try await bytesQuotaRefusesWithoutChange(makeStore())
        try await filesQuotaCountsNewNamesOnly(makeStore())
        try await concurrentCommitsNeverPassTheQuota(makeStore())
    }

    /// Usage sums live files; a replaced or removed version stops counting; `excluding` leaves one name out.
    public static func usageCountsLiveFilesOnly(_ store: any MetadataStore) async throws {
        let user = quotaUser()
        let empty = try await store.usage(userID: user, excluding: nil)
        try check(empty == StorageUsage(bytes: 0, files: 0), "a new user stores nothing, got \(empty)")
        let a = makeRecord(user: user, name: "a.bin", offset: 0)  // 5000 bytes
        let b = makeRecord(user: user, name: "bb.bin", offset: 1)  // 6000 bytes
        _ = try await store.commit(a)
        _ = try await store.commit(b)
        let both = try await store.usage(userID: user, excluding: nil)
        try check(both == StorageUsage(bytes: 11_000, files: 2), "two live files, got \(both)")
        let withoutB = try await store.usage(userID: user, excluding: b.fileName)
        try check(withoutB == StorageUsage(bytes: 5_000, files: 1), "excluding bb.bin, got \(withoutB)")
        _ = try await store.commit(makeRecord(user: user, name: "a.bin", offset: 2))
        let replaced = try await store.usage(userID: user, excluding: nil)
        try check(
            replaced == StorageUsage(bytes: 11_000, files: 2), "a replaced version stops counting, got \(replaced)")
        _ = try await store.remove(userID: user, fileName: b.fileName)
        let removed = try await store.usage(userID: user, excluding: nil)
        try check(removed == StorageUsage(bytes: 5_000, files: 1), "a removed file stops counting, got \(removed)")
        let other = try await store.usage(userID: quotaUser(), excluding: nil)
        try check(other.files == 0, "another user's usage is separate")
    }

    /// Over the byte quota the commit throws `.quotaExceeded` and changes nothing; a replacement
    /// that fits once the old version's bytes are freed is accepted.
    public static func bytesQuotaRefusesWithoutChange(_ store: any MetadataStore) async throws {
        let user = quotaUser()
        let quota = StorageQuota(maxBytes: 12_000, maxFiles: 0)
        let first = makeRecord(user: user, name: "one.bin", offset: 0)  // 7000 bytes
        _ = try await store.commit(first, quota: quota)
        let tooBig = makeRecord(user: user, name: "two.bin", offset: 1)  // 7000 more: 14000 > 12000
        try await checkThrows("QUOTA_EXCEEDED", "a commit past the byte quota") {
            _ = try await store.commit(tooBig, quota: quota)
        }
        let absent = try await store.record(userID: user, fileName: tooBig.fileName)
        try check(absent == nil, "the refused file is not live")
        let pending = try await store.pendingDeletions(limit: 100_000).map(\.fileID)
        try check(!pending.contains(tooBig.fileID), "the refused file left no row at all")
        let replacement = makeRecord(user: user, name: "one.bin", offset: 2)  // replaces 7000 with 7000
        let previous = try await store.commit(replacement, quota: quota)
        try check(previous == first, "a replacement that fits once the old bytes are freed is accepted")
        let usage = try await store.usage(userID: user, excluding: nil)
        try check(usage == StorageUsage(bytes: 7_000, files: 1), "usage after the refusal, got \(usage)")
    }

    /// The file-count quota refuses a new name past the bound, not a replacement of a stored name.
    public static func filesQuotaCountsNewNamesOnly(_ store: any MetadataStore) async throws {
        let user = quotaUser()
        let quota = StorageQuota(maxBytes: 0, maxFiles: 2)
        _ = try await store.commit(makeRecord(user: user, name: "x", offset: 0), quota: quota)
        _ = try await store.commit(makeRecord(user: user, name: "y", offset: 1), quota: quota)
        try await checkThrows("QUOTA_EXCEEDED", "a third file under a two-file quota") {
            _ = try await store.commit(makeRecord(user: user, name: "z", offset: 2), quota: quota)
        }
        _ = try await store.commit(makeRecord(user: user, name: "y", offset: 3), quota: quota)
        let usage = try await store.usage(userID: user, excluding: nil)
        try check(usage.files == 2, "two files after replacing one, got \(usage)")
    }

    /// Twenty commits of one user at once against room for exactly five: five succeed, the rest are
    /// refused, and the stored bytes never pass the quota (the check and the insert are atomic).
    public static func concurrentCommitsNeverPassTheQuota(_ store: any MetadataStore) async throws {
        let user = quotaUser()
        let quota = StorageQuota(maxBytes: 15_000, maxFiles: 0)
        let records = (0..<20).map { makeRecord(user: user, name: String(format: "c%02d", $0), offset: Int64($0)) }
        let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for record in records {  // 3000 bytes each
                group.addTask {
                    do {
                        _ = try await store.commit(record, quota: quota)
                        return true
                    } catch let error as CoreStoreError where error.code == .quotaExceeded {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        try check(accepted == 5, "exactly 5 of 20 concurrent commits fit a 15000-byte quota, got \(accepted)")
        let usage = try await store.usage(userID: user, excluding: nil)
        try check(usage == StorageUsage(bytes: 15_000, files: 5), "stored usage, got \(usage)")
    }

    private static func quotaUser() -> UserID {
        try! UserID(validating: "quota-\(UUID().uuidString.lowercased())")
    }
}
