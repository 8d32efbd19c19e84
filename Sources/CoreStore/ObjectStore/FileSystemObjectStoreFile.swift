internal import CStubs
import Foundation
import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The owner of one open file descriptor used by ``FileSystemObjectStore`` (blocking calls; pool threads only).
final class FileSystemObjectStoreFile: Sendable {
    private let file: OpenFile
    private var fd: Int32 { file.descriptor }

    /// Opens `path`.
    /// - Parameters:
    ///   - path: The file.
    ///   - flags: `open(2)` flags (`O_CLOEXEC` is added).
    ///   - logger: Receives the errno text on failure.
    ///   - missing: Code to throw when the file does not exist (default: an I/O failure).
    init(path: String, flags: Int32, logger: Logger, missing: CoreStoreError.Code? = nil) throws(CoreStoreError) {
        do {
            file = try OpenFile(path: path, flags: flags)
        } catch {
            if let missing, error.isMissing { throw CoreStoreError(missing) }
            throw Self.failure(error, logger, path: path)
        }
        if flags & O_CREAT != 0 { PrivateFileModes.restrict(descriptor: fd) }
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
        var failure: FileCallError?
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { space in
            do throws(FileCallError) {
                return try file.readFully(into: UnsafeMutableRawBufferPointer(rebasing: space[0..<count]), at: offset)
            } catch {
                failure = error
                return 0
            }
        }
        guard failure == nil else { throw CoreStoreError(.objectStoreUnavailable) }
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
            let failure = chunk.withUnsafeReadableBytes { bytes -> FileCallError? in
                observe(bytes)
                do throws(FileCallError) { try file.writeAll(bytes) } catch { return error }
                return nil
            }
            if let failure { throw failure.coreStoreError(otherwise: .objectStoreUnavailable) }
            copied += Int64(chunk.readableBytes)
        }
        return copied
    }

    /// `fsync(2)`.
    func sync() throws(CoreStoreError) {
        do { try file.sync() } catch { throw CoreStoreError(.objectStoreUnavailable) }
    }

    /// Drops the file's pages from the page cache (`POSIX_FADV_DONTNEED`; clean pages only, so
    /// call it after ``sync()``). Best effort.
    func dropCachedPages() {
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
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
        try? OpenFile(path: path, flags: O_RDONLY | O_DIRECTORY).sync()
    }

    /// Maps the current `errno` of a failed `operation` to an error and logs it.
    static func failure(_ operation: String, _ logger: Logger, path: String = "") -> CoreStoreError {
        failure(FileCallError(call: operation, errno: errno), logger, path: path)
    }

    /// Maps a failed call to an error and logs it.
    static func failure(_ error: FileCallError, _ logger: Logger, path: String = "") -> CoreStoreError {
        logger.error(
            "object store file operation failed",
            metadata: ["file.operation": "\(error.call)", "file.path": "\(path)", "error": "\(error)"])
        return error.coreStoreError(otherwise: .objectStoreUnavailable)
    }
}
