public import NIOCore

/// A shared cache of whole small objects keyed by immutable ``FileID`` (Redis in production).
///
/// A cache is never required: callers treat `.cacheUnavailable` as a miss and carry on.
public protocol BlobCache: Sendable {
    /// The cached bytes of a file version, or `nil` on a miss.
    /// - Throws: `.cacheUnavailable`.
    func blob(for fileID: FileID) async throws -> ByteBuffer?

    /// Caches the bytes of a file version (callers only offer objects up to the configured size).
    /// - Throws: `.cacheUnavailable`.
    func store(_ blob: ByteBuffer, for fileID: FileID) async throws

    /// Caches the contents of the file at `path` (a committed upload or a filled cache file),
    /// reading and sending it in bounded chunks so that a push never holds the whole object in
    /// memory. Readers never see a partly written blob. Files larger than the cache's limit are
    /// skipped.
    /// - Throws: `.cacheUnavailable` (also when the file is not `size` bytes long).
    func store(fileAt path: String, size: Int64, for fileID: FileID) async throws

    /// Drops a file version from the cache.
    /// - Throws: `.cacheUnavailable`.
    func remove(fileID: FileID) async throws

    /// Cheap reachability check (reported by readiness, never fatal).
    /// - Throws: `.cacheUnavailable`.
    func checkReachable() async throws
}
