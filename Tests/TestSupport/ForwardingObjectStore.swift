public import CoreStore
public import NIOCore

/// An object store that wraps another and hands on every call it does not implement itself, so a
/// test store states only what it changes (a gate, a report, a race).
public protocol ForwardingObjectStore: ObjectStore {
    /// The store the calls are handed to.
    var base: any ObjectStore { get }
}

extension ForwardingObjectStore {
    /// Hands the call to ``base``.
    public func putObject(key: ObjectKey, fromFile path: String, size: Int64, md5: ContentDigest, contentType: String)
        async throws
    {
        try await base.putObject(key: key, fromFile: path, size: size, md5: md5, contentType: contentType)
    }

    /// Hands the call to ``base``.
    public func getObject(key: ObjectKey, range: ClosedRange<Int64>?, toFile path: String) async throws -> Int64 {
        try await base.getObject(key: key, range: range, toFile: path)
    }

    /// Hands the call to ``base``.
    public func streamObject(
        key: ObjectKey, range: ClosedRange<Int64>?, to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        try await base.streamObject(key: key, range: range, to: consumer)
    }

    /// Hands the call to ``base``.
    public func headObject(key: ObjectKey) async throws -> ObjectInfo { try await base.headObject(key: key) }

    /// Hands the call to ``base``.
    public func deleteObject(key: ObjectKey) async throws { try await base.deleteObject(key: key) }

    /// Hands the call to ``base``.
    public func checkReachable() async throws { try await base.checkReachable() }
}
