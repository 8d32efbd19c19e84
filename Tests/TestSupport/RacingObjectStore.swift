public import CoreStore
public import NIOCore
import Synchronization

/// Wraps an object store and runs a one-shot action at the start of the next read, before the
/// read reaches the store: a replace or delete that lands between a download's metadata lookup
/// and the opening of its bytes, deterministically (no sleeps).
public final class RacingObjectStore: ObjectStore {
    /// An action run in place of the race.
    public typealias Action = @Sendable () async throws -> Void

    private let base: any ObjectStore
    private let state = Mutex<(armed: Action?, runs: Int, reads: Int)>((nil, 0, 0))

    /// Wraps `base`.
    public init(_ base: any ObjectStore) {
        self.base = base
    }

    /// Runs `action` once, at the start of the next `streamObject` or `getObject`.
    public func beforeNextRead(_ action: @escaping Action) {
        state.withLock { $0.armed = action }
    }

    /// How many armed actions have run.
    public var racesRun: Int { state.withLock { $0.runs } }

    /// Reads (`streamObject`, `getObject`) that reached this store.
    public var reads: Int { state.withLock { $0.reads } }

    private func race() async throws {
        let action = state.withLock { state -> Action? in
            state.reads += 1
            defer { state.armed = nil }
            return state.armed
        }
        guard let action else { return }
        try await action()
        state.withLock { $0.runs += 1 }
    }

    public func streamObject(
        key: ObjectKey, range: ClosedRange<Int64>?, to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        try await race()
        try await base.streamObject(key: key, range: range, to: consumer)
    }

    public func getObject(key: ObjectKey, range: ClosedRange<Int64>?, toFile path: String) async throws -> Int64 {
        try await race()
        return try await base.getObject(key: key, range: range, toFile: path)
    }

    public func putObject(key: ObjectKey, fromFile path: String, size: Int64, md5: ContentDigest, contentType: String)
        async throws
    {
        try await base.putObject(key: key, fromFile: path, size: size, md5: md5, contentType: contentType)
    }

    public func headObject(key: ObjectKey) async throws -> ObjectInfo { try await base.headObject(key: key) }

    public func deleteObject(key: ObjectKey) async throws { try await base.deleteObject(key: key) }

    public func checkReachable() async throws { try await base.checkReachable() }
}
