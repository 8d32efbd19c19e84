internal import CStubs
import Foundation
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The owner of one open file descriptor used by ``FileSystemObjectStore`` (blocking calls; pool threads only).
final class FileSystemObjectStoreFile: Sendable {
    private let fd: Int32

    /// Opens `path`.
    /// - Parameters:
    ///   - path: The file.
    ///   - flags: `open(2)` flags (`O_CLOEXEC` is added).
    ///   - logger: Receives the errno text on failure.
    ///   - missing: Code to throw when the file does not exist (default: an I/O failure).
    init(path: String, flags: Int32, logger: Logger, missing: CoreStoreError.Code? = nil) throws(CoreStoreError) {
        let fd = open(path, flags | O_CLOEXEC, PrivateFileModes.file)
        guard fd >= 0 else {
            if let missing, errno == ENOENT || errno == ENOTDIR { throw CoreStoreError(missing) }
            throw Self.failure("open", logger, path: path)
        }
        if flags & O_CREAT != 0 { PrivateFileModes.restrict(descriptor: fd) }
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// The file's size.
    func size() throws(CoreStoreError) -> Int64 {
        let size = cstubs_fd_size(fd)
        guard size >= 0 else { throw CoreStoreError(.objectStoreUnavailable) }
        return size
    }

    /// Up to `count` bytes at `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) throws(CoreStoreError) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        while buffer.readableBytes < count {
            let filled = buffer.readableBytes
            var result = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - filled) {
                result = pread(fd, $0.baseAddress!, count - filled, off_t(offset) + off_t(filled))
                return max(0, result)
            }
            if result < 0 && errno == EINTR { continue }
            guard result >= 0 else { throw CoreStoreError(.objectStoreUnavailable) }
            if result == 0 { break }
        }
        return buffer
    }

    /// Copies `length` bytes of `source` from `offset` to the end of this file, showing each chunk to `observe`.
    /// - Returns: Bytes copied (less than `length` only when `source` ends early).
    func copy(
        from source: FileSystemObjectStoreFile, offset: Int64, length: Int64, observe: (UnsafeRawBufferPointer) -> Void
    ) throws(CoreStoreError) -> Int64 {
        var copied: Int64 = 0
        while copied < length {
            let chunk = try source.read(at: offset + copied, count: Int(min(Int64(256 * 1024), length - copied)))
            if chunk.readableBytes == 0 { break }
            let failedErrno = chunk.withUnsafeReadableBytes { bytes in
                observe(bytes)
                return writeAll(bytes)
            }
            if failedErrno != 0 {
                throw CoreStoreError(
                    failedErrno == ENOSPC || failedErrno == EDQUOT ? .insufficientStorage : .objectStoreUnavailable)
            }
            copied += Int64(chunk.readableBytes)
        }
        return copied
    }

    /// `fsync(2)`.
    func sync() throws(CoreStoreError) {
        guard fsync(fd) == 0 else { throw CoreStoreError(.objectStoreUnavailable) }
    }

    /// Drops the file's pages from the page cache (`POSIX_FADV_DONTNEED`; clean pages only, so
    /// call it after ``sync()``). Best effort.
    func dropCachedPages() {
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
    }

    /// Writes everything; returns 0 or the failing `errno`.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        var done = 0
        while done < bytes.count {
            let wrote = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if wrote < 0 && errno == EINTR { continue }
            guard wrote >= 0 else { return errno }
            done += wrote
        }
        return 0
    }

    /// `mkdir -p`, mode 0700 (``PrivateFileModes``).
    static func makeDirectory(_ path: String, logger: Logger) throws(CoreStoreError) {
        do {
            try PrivateFileModes.makeDirectory(path)
        } catch {
            logger.error("object store directory not created", metadata: ["file.path": "\(path)", "error": "\(error)"])
            throw CoreStoreError(.objectStoreUnavailable)
        }
    }

    /// `fsync`s a directory so a rename in it is durable (best effort).
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Maps the current `errno` of a failed `operation` to an error and logs it.
    static func failure(_ operation: String, _ logger: Logger, path: String = "") -> CoreStoreError {
        let number = errno
        logger.error(
            "object store file operation failed",
            metadata: [
                "file.operation": "\(operation)", "file.path": "\(path)",
                "error": "\(String(cString: strerror(number)))",
            ])
        return CoreStoreError(number == ENOSPC || number == EDQUOT ? .insufficientStorage : .objectStoreUnavailable)
    }
}
