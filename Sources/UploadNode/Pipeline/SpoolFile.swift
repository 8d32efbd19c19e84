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
    private let reservedBytes: Int64

    /// Creates (or truncates) the file and, when the body's length is known, allocates its blocks
    /// up front (``FileBlockReservation``).
    /// - Parameters:
    ///   - path: Where the spool file goes.
    ///   - expectedBytes: The request's `Content-Length`, if any (for a form, a little more than the file).
    /// - Throws: `.insufficientStorage` when the file cannot be created or its blocks do not fit.
    init(path: String, expectedBytes: Int64?) throws(CoreStoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CoreStoreError(.insufficientStorage) }
        let reserving = min(expectedBytes ?? 0, Self.maxReservationBytes)
        if FileBlockReservation.reserve(fileDescriptor: fd, bytes: reserving) == .noSpace {
            close(fd)
            throw CoreStoreError(.insufficientStorage)
        }
        self.fd = fd
        self.reservedBytes = reserving
    }

    /// The most a spool file reserves: a declared length makes disk space used before any byte
    /// arrives, so a client that announces a large body and sends nothing holds at most this
    /// much until its request times out. Bytes beyond it are allocated as they are written.
    static let maxReservationBytes: Int64 = 64 << 20

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

    /// Frees blocks reserved beyond the bytes written (a form body's headers and delimiters).
    func releaseUnusedReservation() {
        if reservedBytes > offset { _ = ftruncate(fd, off_t(offset)) }
    }
}
