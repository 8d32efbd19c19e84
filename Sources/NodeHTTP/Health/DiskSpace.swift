// No Foundation here: `statvfs` members must resolve through Glibc (MemberImportVisibility).
#if canImport(Glibc)
    import Glibc
#endif

/// Free space of the file system holding a path.
public enum DiskSpace {
    /// Bytes available to unprivileged users at `path` (`Int64.max` if unknown).
    public static func freeBytes(at path: String) -> Int64 {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return Int64.max }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
