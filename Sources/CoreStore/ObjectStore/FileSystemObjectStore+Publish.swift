import Logging

#if canImport(Glibc)
    import Glibc
#endif

extension FileSystemObjectStore {
    /// Writes a new object into a temporary file under `<root>/.tmp` and publishes it at `target`
    /// atomically: after `write` the file is `fsync`ed, renamed into place and the directory
    /// `fsync`ed, so a reader sees the whole object or none. The temporary file is removed when
    /// anything fails. Blocks: call it on the blocking pool.
    /// - Parameters:
    ///   - target: The object's path.
    ///   - root: The store's root directory.
    ///   - logger: Receives the system call failures.
    ///   - write: Fills the temporary file (opened for writing, empty).
    /// - Throws: `CoreStoreError` from `write`, or `.objectStoreUnavailable` (or `INSUFFICIENT_STORAGE`)
    ///   when a system call fails.
    static func publishObject(
        at target: String, root: String, logger: Logger,
        write: (FileSystemObjectStoreFile) throws(CoreStoreError) -> Void
    ) throws(CoreStoreError) {
        try FileSystemObjectStoreFile.makeDirectory("\(root)/.tmp", logger: logger)
        let temporary = "\(root)/.tmp/\(String(UInt64.random(in: .min ... .max), radix: 16))"
        let output = try FileSystemObjectStoreFile(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, logger: logger)
        var published = false
        defer { if !published { unlink(temporary) } }
        try write(output)
        try output.sync()
        output.dropCachedPages()
        try FileSystemObjectStoreFile.makeDirectory(parent(of: target), logger: logger)
        guard rename(temporary, target) == 0 else { throw FileSystemObjectStoreFile.failure("rename", logger) }
        published = true
        FileSystemObjectStoreFile.syncDirectory(parent(of: target))
    }
}
