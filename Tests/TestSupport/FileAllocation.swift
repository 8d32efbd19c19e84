// `struct stat` comes into Swift through CStubs' headers (and CoreFoundation's); with
// MemberImportVisibility its fields need the defining module imported.
import CStubs

#if canImport(Glibc)
    import Glibc
#endif

/// What `stat` says about a file's size and the disk space allocated to it.
public struct FileAllocation: Equatable, Sendable {
    /// `st_size`.
    public var size: Int64
    /// `st_blocks` × 512.
    public var allocatedBytes: Int64

    /// The file at `path`, or nil when `stat` fails.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        allocatedBytes = Int64(info.st_blocks) * 512
    }
}
