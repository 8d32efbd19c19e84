import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The modes of everything the nodes write on local disk: files `0600`, directories `0700`
/// (data directory, spool, cache, filesystem objects, the SQLite database and its `-wal`/`-shm`).
///
/// Set with `chmod`/`fchmod` after creation, so the process umask cannot widen (or narrow) them:
/// the files hold other users' bytes and metadata, which only the service's own account may read.
public enum PrivateFileModes {
    /// Mode of every file the nodes create.
    public static let file: UInt32 = 0o600
    /// Mode of every directory the nodes create or own.
    public static let directory: UInt32 = 0o700

    /// A directory that could not be created or given its mode.
    public struct DirectoryError: Error, CustomStringConvertible {
        /// The directory.
        public let path: String
        /// The failed call's `errno`.
        public let errno: Int32

        /// `path: strerror`, for logs.
        public var description: String { "\(path): \(String(cString: strerror(errno)))" }
    }

    /// `mkdir -p` with mode `0700` for every directory it creates, then `chmod 0700` of `path`
    /// itself (also when it already existed: an older version left it `0755`). Parents that already
    /// existed keep their modes.
    /// - Parameter path: The directory.
    /// - Throws: ``DirectoryError`` when a component cannot be created or `path` not be given its mode.
    public static func makeDirectory(_ path: String) throws(DirectoryError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, directory) == 0 {
                guard chmod(prefix, directory) == 0 else { throw DirectoryError(path: prefix, errno: errno) }
            } else if errno != EEXIST {
                throw DirectoryError(path: prefix, errno: errno)
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DirectoryError(path: path, errno: ENOTDIR)
        }
        guard chmod(path, directory) == 0 else { throw DirectoryError(path: path, errno: errno) }
    }

    /// Gives an open file mode `0600` (call right after an `open` with `O_CREAT`).
    /// - Parameter descriptor: The open file.
    /// - Returns: Whether `fchmod` succeeded.
    @discardableResult
    public static func restrict(descriptor: Int32) -> Bool {
        fchmod(descriptor, file) == 0
    }

    /// Gives the file at `path` mode `0600` if it exists.
    /// - Parameter path: The file.
    /// - Returns: `false` only when the file exists and `chmod` failed.
    @discardableResult
    public static func restrict(path: String) -> Bool {
        chmod(path, file) == 0 || errno == ENOENT
    }
}
