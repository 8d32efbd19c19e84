/// How much a user stores: the live files only (a replaced or deleted version stops counting the
/// moment its row leaves the live state).
public struct StorageUsage: Sendable, Equatable {
    /// Sum of the live files' sizes.
    public var bytes: Int64
    /// Number of live files.
    public var files: Int64

    /// Creates a usage figure.
    public init(bytes: Int64, files: Int64) {
        self.bytes = bytes
        self.files = files
    }
}

/// A per-user storage limit: total bytes and number of live files; 0 turns a bound off.
///
/// Checked inside the metadata commit's transaction (the authoritative check, serialized per
/// user) and, for a declared `Content-Length`, before the body is read.
public struct StorageQuota: Sendable, Equatable {
    /// Largest sum of a user's live file sizes; 0 = no limit.
    public var maxBytes: Int64
    /// Largest number of a user's live files; 0 = no limit.
    public var maxFiles: Int64

    /// No limit at all.
    public static let unlimited = StorageQuota(maxBytes: 0, maxFiles: 0)

    /// Creates a quota; 0 turns a bound off.
    public init(maxBytes: Int64, maxFiles: Int64) {
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
    }

    /// Whether neither bound is set (the stores then skip the usage query).
    public var isUnlimited: Bool { maxBytes <= 0 && maxFiles <= 0 }

    /// Throws when storing a file of `size` bytes would take the user past a bound.
    /// - Parameters:
    ///   - size: The new file's size.
    ///   - usage: The user's usage *without* the file of that name (a replaced version's bytes
    ///     are freed by the same commit).
    /// - Throws: `.quotaExceeded`, naming the bound.
    public func check(adding size: Int64, to usage: StorageUsage) throws(CoreStoreError) {
        if maxBytes > 0, usage.bytes + size > maxBytes {
            throw CoreStoreError(
                .quotaExceeded,
                "storage quota exceeded: \(usage.bytes) of \(maxBytes) bytes used, the file needs \(size)")
        }
        if maxFiles > 0, usage.files + 1 > maxFiles {
            throw CoreStoreError(.quotaExceeded, "storage quota exceeded: \(usage.files) of \(maxFiles) files stored")
        }
    }
}
