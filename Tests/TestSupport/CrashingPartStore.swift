public import CoreStore
public import NIOCore

/// Wraps a parts-capable object store (the real file-system one) and fails every call with
/// `.objectStoreUnavailable` once its ``SimulatedNodeCrash`` has tripped (fault injection).
public final class CrashingPartStore: ResumablePartStore {
    private let base: any ResumablePartStore
    private let crash: SimulatedNodeCrash

    /// Wraps `base`; `crash` is shared with the node's metadata wrapper.
    public init(_ base: any ResumablePartStore, crash: SimulatedNodeCrash) {
        self.base = base
        self.crash = crash
    }

    /// Throws when the node is dead.
    private func checkAlive() throws { try crash.checkAlive(.objectStoreUnavailable) }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func putObject(key: ObjectKey, fromFile path: String, size: Int64, md5: ContentDigest, contentType: String)
        async throws
    {
        try checkAlive()
        try await base.putObject(key: key, fromFile: path, size: size, md5: md5, contentType: contentType)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func getObject(key: ObjectKey, range: ClosedRange<Int64>?, toFile path: String) async throws -> Int64 {
        try checkAlive()
        return try await base.getObject(key: key, range: range, toFile: path)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func streamObject(
        key: ObjectKey, range: ClosedRange<Int64>?, to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        try checkAlive()
        try await base.streamObject(key: key, range: range, to: consumer)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func headObject(key: ObjectKey) async throws -> ObjectInfo {
        try checkAlive()
        return try await base.headObject(key: key)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func deleteObject(key: ObjectKey) async throws {
        try checkAlive()
        try await base.deleteObject(key: key)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func checkReachable() async throws {
        try checkAlive()
        try await base.checkReachable()
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func beginParts(key: ObjectKey, contentType: String) async throws -> String {
        try checkAlive()
        return try await base.beginParts(key: key, contentType: contentType)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func storePart(
        key: ObjectKey, uploadID: String, partNumber: Int, fromFile path: String, offset: Int64, length: Int64,
        md5: ContentDigest
    ) async throws -> CompletedPart {
        try checkAlive()
        return try await base.storePart(
            key: key, uploadID: uploadID, partNumber: partNumber, fromFile: path, offset: offset, length: length,
            md5: md5)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func assembleParts(key: ObjectKey, uploadID: String, parts: [CompletedPart]) async throws {
        try checkAlive()
        try await base.assembleParts(key: key, uploadID: uploadID, parts: parts)
    }

    /// Forwards to the wrapped store; fails once the node is dead.
    public func discardParts(key: ObjectKey, uploadID: String) async throws {
        try checkAlive()
        try await base.discardParts(key: key, uploadID: uploadID)
    }
}
