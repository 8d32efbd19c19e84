import CoreStore
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The open spool file of one upload, written with `pwrite` straight from the request's buffers.
///
/// No intermediate buffer (memory per upload stays at the chunk being handled) and no thread hop
/// per write; bytes are visible to `pread` at once, so parts can go to the object store while the
/// file is still growing. Writes land in the page cache; durability comes from the object store
/// (or from the `fsync` of a local store adopting the file).
final class SpoolFile {
    private let fd: Int32
    private var offset: Int64 = 0

    /// Creates (or truncates) the file.
    /// - Throws: `.insufficientStorage` when it cannot be created.
    init(path: String) throws(CoreStoreError) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CoreStoreError(.insufficientStorage) }
    }

    deinit { close(fd) }

    /// Appends the readable bytes of `buffer`.
    /// - Throws: `.insufficientStorage` on a failed write (disk full, I/O error).
    func append(_ buffer: ByteBuffer) throws(CoreStoreError) {
        let failed = buffer.withUnsafeReadableBytes { bytes -> Bool in
            var done = 0
            while done < bytes.count {
                let wrote = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
                if wrote < 0, errno == EINTR { continue }
                guard wrote > 0 else { return true }
                done += wrote
            }
            return false
        }
        guard !failed else { throw CoreStoreError(.insufficientStorage) }
        offset += Int64(buffer.readableBytes)
    }
}
