#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call on a local file: which call and its `errno`.
///
/// ``OpenFile`` and ``SystemCall`` throw it so the caller can decide what the failure means for
/// it (a missing file, a full disk); callers turn it into a ``CoreStoreError`` with
/// ``coreStoreError(otherwise:)`` before it leaves their component.
public struct FileCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call that failed (`open`, `pwrite`, `fsync`, ...).
    public let call: String
    /// Its `errno`; 0 for a short read or write that made no progress without an error.
    public let errno: Int32

    /// Names a failure.
    /// - Parameters:
    ///   - call: The system call.
    ///   - errno: Its `errno`.
    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// Whether the disk (or the user's disk quota) is full.
    public var isOutOfSpace: Bool { errno == ENOSPC || errno == EDQUOT }

    /// Whether the path does not exist (`ENOENT`, or a component is not a directory).
    public var isMissing: Bool { errno == ENOENT || errno == ENOTDIR }

    /// `.insufficientStorage` for a full disk, else a ``CoreStoreError`` with `code`.
    /// - Parameter code: The code of any other failure.
    public func coreStoreError(otherwise code: CoreStoreError.Code) -> CoreStoreError {
        CoreStoreError(isOutOfSpace ? .insufficientStorage : code)
    }

    /// `call: strerror(errno)`, for logs.
    public var description: String {
        errno == 0 ? "\(call): no progress" : "\(call): \(String(cString: strerror(errno)))"
    }
}
