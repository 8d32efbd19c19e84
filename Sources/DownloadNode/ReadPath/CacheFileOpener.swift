import CoreStore

#if canImport(Glibc)
    import Glibc
#endif

/// Opens disk-cache files read-only for a response; the ``OpenFile`` returned is the one owner of
/// the descriptor, which it closes once, when the last response holding it is gone.
///
/// The read path opens a cache file before it sends a status line, so a file evicted (unlinked)
/// or committed (renamed) afterwards is still read completely through the descriptor, and a file
/// that is already gone is a miss instead of a response with headers and no body.
enum CacheFileOpener {
    /// Opens the file at `path` for reading, or `nil` when it does not exist (any more).
    static func open(path: String) -> OpenFile? {
        try? OpenFile(path: path, flags: O_RDONLY)
    }

    /// Opens the file a fill is writing, or the cache file it has meanwhile been committed (renamed)
    /// to; `nil` when neither exists (the fill failed or the cache refused the file).
    static func open(_ fill: CacheFill) -> OpenFile? {
        if let opened = open(path: fill.path) { return opened }
        if case .finished(let file?) = fill.progress { return open(path: file.path) }
        return nil
    }
}
