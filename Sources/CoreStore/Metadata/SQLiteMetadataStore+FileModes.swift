import Logging

#if canImport(Glibc)
    import Glibc
#endif

extension SQLiteMetadataStore {
    /// Creates the database file with mode 0600 if it does not exist and gives it, `-wal` and
    /// `-shm` mode 0600 (``PrivateFileModes``). SQLite creates its files 0644 less the umask, and its
    /// `-wal`/`-shm` with the database file's mode, so the database file is created here first.
    /// - Throws: `.metadataUnavailable` when the file cannot be created or its mode not be set.
    static func restrictFiles(_ path: String, logger: Logger) throws(CoreStoreError) {
        let restricted: Bool
        do {
            let file = try OpenFile(path: path, flags: O_RDWR | O_CREAT)
            restricted = PrivateFileModes.restrict(descriptor: file.descriptor)
        } catch {
            logger.error(
                "sqlite database file not created", metadata: ["sqlite.path": "\(path)", "errno": "\(error.errno)"])
            throw CoreStoreError(.metadataUnavailable)
        }
        for file in [path + "-wal", path + "-shm"] where !PrivateFileModes.restrict(path: file) {
            logger.error("sqlite file mode not set", metadata: ["sqlite.path": "\(file)", "errno": "\(errno)"])
            throw CoreStoreError(.metadataUnavailable)
        }
        guard restricted else {
            logger.error("sqlite file mode not set", metadata: ["sqlite.path": "\(path)"])
            throw CoreStoreError(.metadataUnavailable)
        }
    }
}
