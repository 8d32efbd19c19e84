internal import CStubs

#if canImport(Glibc)
    import Glibc
#endif

/// Calls on local file names that the Glibc module does not export (`renameat2`) or whose
/// `struct stat` Swift cannot read portably (see ``FileBlockReservation/blockSize(fileDescriptor:)``).
public enum LocalFileNames {
    /// What ``exchange(_:_:)`` did.
    public enum ExchangeOutcome: Equatable, Sendable {
        /// Each name now names the other's file.
        case exchanged
        /// One of the names does not exist; nothing changed.
        case missing
        /// The kernel or file system cannot exchange names (or another error); nothing changed.
        case notExchanged(errno: Int32)
    }

    /// Swaps two names atomically (`renameat2(RENAME_EXCHANGE)`: Linux 3.15 and later on ext4,
    /// XFS, Btrfs and tmpfs). Neither file is freed, so this replaces a file's contents with a
    /// prepared copy without deleting the old inode, which then lives on under `second`.
    /// - Parameters:
    ///   - first: An existing file.
    ///   - second: An existing file in the same file system.
    public static func exchange(_ first: String, _ second: String) -> ExchangeOutcome {
        switch cstubs_rename_exchange(first, second) {
        case 0: .exchanged
        case ENOENT: .missing
        case let number: .notExchanged(errno: number)
        }
    }

    /// The size of the regular file at `path`, or `nil` when there is none (missing, a directory).
    public static func regularFileSize(_ path: String) -> Int64? {
        let size = cstubs_regular_file_size(path, nil)
        return size >= 0 ? size : nil
    }
}
