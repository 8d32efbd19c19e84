/// A whole object in the node's disk cache, ready to be opened and served.
///
/// The file may be evicted (unlinked) at any time; a file descriptor opened before that keeps
/// reading the complete object, so open it once and serve from the descriptor.
public struct CachedFile: Sendable, Equatable {
    /// The cached version.
    public let fileID: FileID
    /// Absolute path of the data file.
    public let path: String
    /// Size in bytes.
    public let size: Int64
}

/// A cache insert in progress: the writer fills ``path`` (in the cache's `tmp/`), then calls
/// ``DiskLRUCache/commitInsert(_:size:xxh3:)`` or ``DiskLRUCache/abandonInsert(_:)``.
public struct PendingCacheFile: Sendable, Equatable {
    /// The version being cached.
    public let fileID: FileID
    /// Where the writer puts the bytes (created by the writer).
    public let path: String
    /// Bytes reserved for this insert (counted against the capacity until commit or abandon).
    public let reservedBytes: Int64
    /// Distinguishes concurrent inserts of the same id.
    let token: UInt64
}
