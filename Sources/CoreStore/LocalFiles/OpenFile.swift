import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The owner of one open file descriptor: opened with `O_CLOEXEC` (a child process never
/// inherits it), every call retried on `EINTR` (``SystemCall``), writes looped until every byte
/// is written, failures thrown with their `errno`, and the descriptor closed exactly once (by
/// ``close()`` or, if that was not called, when the owner goes away).
///
/// Every local file the nodes read or write goes through it (spool, disk cache, filesystem
/// objects, journals, libcurl's body files). It adds no system call: a `pwrite` that writes
/// everything is one `pwrite`, as a hand-written loop was.
///
/// Sendable: positioned reads and writes (`pread`/`pwrite`) from several threads are fine;
/// ``close()`` must come after the last of them.
public final class OpenFile: Sendable {
    /// The descriptor, -1 once closed.
    private let state: Atomic<Int32>

    /// Opens `path` with `flags` plus `O_CLOEXEC`.
    ///
    /// The mode of a created file is `mode` minus the umask; files the nodes keep private are given
    /// `0600` afterwards with ``PrivateFileModes/restrict(descriptor:)`` where needed.
    /// - Parameters:
    ///   - path: The file (or directory, with `O_DIRECTORY`).
    ///   - flags: `open(2)` flags.
    ///   - mode: The mode of a file `O_CREAT` creates.
    /// - Throws: ``FileCallError`` of `open`.
    public init(path: String, flags: Int32, mode: UInt32 = PrivateFileModes.file) throws(FileCallError) {
        let descriptor = try SystemCall.retryingInterrupted("open") { Glibc.open(path, flags | O_CLOEXEC, mode) }
        state = Atomic(descriptor)
    }

    /// Takes over a descriptor opened elsewhere (a pipe end): from now on this owner closes it.
    /// - Parameter descriptor: An open descriptor nobody else closes.
    public init(takingOwnershipOf descriptor: Int32) {
        state = Atomic(descriptor)
    }

    deinit {
        let descriptor = state.load(ordering: .relaxed)
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    /// The raw descriptor, for calls this type does not wrap (`fstat`, `fallocate`, `sendfile`);
    /// valid while the owner lives and is not closed; -1 after ``close()``.
    public var descriptor: Int32 { state.load(ordering: .relaxed) }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { descriptor < 0 }

    /// One `read` at the file position.
    /// - Parameter buffer: Where the bytes go.
    /// - Returns: Bytes read, 0 at the end of the file.
    /// - Throws: ``FileCallError`` of `read`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileCallError) -> Int {
        let descriptor = self.descriptor
        return try SystemCall.retryingInterrupted("read") { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// One `pread` at `offset`.
    /// - Parameters:
    ///   - buffer: Where the bytes go.
    ///   - offset: The file offset.
    /// - Returns: Bytes read (fewer than asked for is not an error), 0 at the end of the file.
    /// - Throws: ``FileCallError`` of `pread`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileCallError) -> Int {
        let descriptor = self.descriptor
        return try SystemCall.retryingInterrupted("pread") {
            Glibc.pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
        }
    }

    /// `pread`s until `buffer` is full or the file ends.
    /// - Parameters:
    ///   - buffer: Where the bytes go.
    ///   - offset: The file offset.
    /// - Returns: Bytes read: `buffer.count` unless the file ends first.
    /// - Throws: ``FileCallError`` of `pread`.
    public func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileCallError) -> Int {
        var done = 0
        while done < buffer.count {
            let count = try read(
                into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Writes every byte at the file position, looping on short writes.
    /// - Parameter bytes: The bytes.
    /// - Throws: ``FileCallError`` of `write` (errno 0 when a write made no progress).
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(FileCallError) {
        let descriptor = self.descriptor
        var done = 0
        while done < bytes.count {
            let count = try SystemCall.retryingInterrupted("write") {
                Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            }
            guard count > 0 else { throw FileCallError(call: "write", errno: 0) }
            done += count
        }
    }

    /// Writes every byte at `offset` (`pwrite`), looping on short writes; the file position is unchanged.
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - offset: The file offset of the first byte.
    /// - Throws: ``FileCallError`` of `pwrite` (errno 0 when a write made no progress).
    public func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileCallError) {
        let descriptor = self.descriptor
        var done = 0
        while done < bytes.count {
            let count = try SystemCall.retryingInterrupted("pwrite") {
                Glibc.pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            }
            guard count > 0 else { throw FileCallError(call: "pwrite", errno: 0) }
            done += count
        }
    }

    /// `fsync(2)`: the file's bytes and metadata reach the disk.
    /// - Throws: ``FileCallError`` of `fsync` (an I/O error, or a descriptor that cannot be synced).
    public func sync() throws(FileCallError) {
        let descriptor = self.descriptor
        _ = try SystemCall.retryingInterrupted("fsync") { Glibc.fsync(descriptor) }
    }

    /// Closes the descriptor now; later calls (and the owner's end) do nothing. Not retried on
    /// `EINTR`: Linux has closed the descriptor by then, and a retry could close a number
    /// another thread was just given.
    /// - Throws: ``FileCallError`` of `close` (e.g. `EIO` of delayed write-back); the descriptor is
    ///   closed all the same.
    public func close() throws(FileCallError) {
        let descriptor = state.exchange(-1, ordering: .relaxed)
        guard descriptor >= 0 else { return }
        if Glibc.close(descriptor) != 0 && errno != EINTR {
            throw FileCallError(call: "close", errno: errno)
        }
    }
}
