public import CoreStore
public import Foundation
import Synchronization

/// Wraps the real SQLite metadata store for fault injection around the row update of a resumable
/// `PATCH` that names a new tail (the tail object is already written by then): the next such
/// update can trip a ``SimulatedNodeCrash`` instead of reaching the store (the node died there),
/// or wait until released (a live request between its tail write and its row update). Every call
/// fails with `.metadataUnavailable` once the crash has tripped.
public final class CrashingResumableMetadata: MetadataStore, ResumableUploadStore {
    /// What the next tail-naming row update does.
    private enum Plan {
        case proceed
        case crash
        case hold
    }

    private let base: SQLiteMetadataStore
    private let crash: SimulatedNodeCrash
    private let state = Mutex<(plan: Plan, held: Int)>((.proceed, 0))
    private let gate = AsyncStream<Void>.makeStream()

    /// Wraps `base`; `crash` is shared with the node's object-store wrapper.
    public init(_ base: SQLiteMetadataStore, crash: SimulatedNodeCrash) {
        self.base = base
        self.crash = crash
    }

    /// The next row update naming a new tail kills the node instead of updating.
    public func crashAtNextTailAdvance() { state.withLock { $0.plan = .crash } }

    /// The next row update naming a new tail waits for ``releaseHeldAdvance()``.
    public func holdNextTailAdvance() { state.withLock { $0.plan = .hold } }

    /// Lets the held row update proceed.
    public func releaseHeldAdvance() { gate.continuation.yield() }

    /// Row updates that have reached the hold so far.
    public var heldAdvances: Int { state.withLock { $0.held } }

    /// Throws when the node is dead.
    private func checkAlive() throws { try crash.checkAlive(.metadataUnavailable) }

    // MARK: ResumableUploadStore

    /// Crashes or holds per the plan when the update names a new tail, then forwards.
    public func advanceUpload(
        _ upload: ResumableUpload, from expectedOffset: Int64, replacingTail previousTail: String?
    ) async throws -> Bool {
        try checkAlive()
        if upload.tailKey != nil, upload.tailKey != previousTail {
            let plan = state.withLock { state -> Plan in
                defer { state.plan = .proceed }
                if state.plan == .hold { state.held += 1 }
                return state.plan
            }
            switch plan {
            case .crash:
                crash.trip()
                throw CoreStoreError(.metadataUnavailable)
            case .hold:
                for await _ in gate.stream { break }
            case .proceed:
                break
            }
        }
        return try await base.advanceUpload(upload, from: expectedOffset, replacingTail: previousTail)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func createUpload(_ upload: ResumableUpload) async throws {
        try checkAlive()
        try await base.createUpload(upload)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func upload(id: String, userID: UserID) async throws -> ResumableUpload? {
        try checkAlive()
        return try await base.upload(id: id, userID: userID)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func removeUpload(id: String, userID: UserID) async throws -> ResumableUpload? {
        try checkAlive()
        return try await base.removeUpload(id: id, userID: userID)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func expiredUploads(before date: Date, limit: Int) async throws -> [ResumableUpload] {
        try checkAlive()
        return try await base.expiredUploads(before: date, limit: limit)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func recordPendingTail(_ tail: ResumablePendingTail) async throws {
        try checkAlive()
        try await base.recordPendingTail(tail)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func removePendingTail(key tailKey: String, uploadID: String, userID: UserID) async throws {
        try checkAlive()
        try await base.removePendingTail(key: tailKey, uploadID: uploadID, userID: userID)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func claimPendingTails(uploadID: String, userID: UserID) async throws -> [ResumablePendingTail] {
        try checkAlive()
        return try await base.claimPendingTails(uploadID: uploadID, userID: userID)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func claimPendingTails(recordedBefore date: Date, limit: Int) async throws -> [ResumablePendingTail] {
        try checkAlive()
        return try await base.claimPendingTails(recordedBefore: date, limit: limit)
    }

    // MARK: MetadataStore

    /// Forwards to the wrapped store; fails once the node is dead.
    public func record(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        try checkAlive()
        return try await base.record(userID: userID, fileName: fileName)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func commit(_ record: FileRecord, quota: StorageQuota) async throws -> FileRecord? {
        try checkAlive()
        return try await base.commit(record, quota: quota)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func usage(userID: UserID, excluding: FileName?) async throws -> StorageUsage {
        try checkAlive()
        return try await base.usage(userID: userID, excluding: excluding)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func remove(userID: UserID, fileName: FileName) async throws -> FileRecord? {
        try checkAlive()
        return try await base.remove(userID: userID, fileName: fileName)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func purge(fileID: FileID) async throws {
        try checkAlive()
        try await base.purge(fileID: fileID)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func pendingDeletions(limit: Int) async throws -> [FileRecord] {
        try checkAlive()
        return try await base.pendingDeletions(limit: limit)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func list(userID: UserID, limit: Int, cursor: String?) async throws -> FilePage {
        try checkAlive()
        return try await base.list(userID: userID, limit: limit, cursor: cursor)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func recordAccess(_ times: [FileID: Date]) async throws {
        try checkAlive()
        try await base.recordAccess(times)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func checkReachable() async throws {
        try checkAlive()
        try await base.checkReachable()
    }
}
