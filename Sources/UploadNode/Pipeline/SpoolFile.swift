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
    private let file: OpenFile
    private var offset: Int64 = 0
    private let reservedBytes: Int64
    private let blockBytes: Int64
    private let budget: SpoolReservationBudget

    /// Creates (or truncates) the file and, when the body's length is known, allocates its whole
    /// blocks up front (``FileBlockReservation``); a last partial block is allocated when written.
    ///
    /// Whole blocks only, so a form body's few hundred bytes of delimiters and text parts (its
    /// `Content-Length` is a little more than the file) do not reserve a block past the file's end:
    /// freeing such a block takes an `ftruncate`, which cost 4–5 ms per upload at 1000 concurrent
    /// uploads (ext4) and blocked a request thread meanwhile.
    /// - Parameters:
    ///   - path: Where the spool file goes.
    ///   - expectedBytes: The request's `Content-Length`, if any (for a form, a little more than the file).
    ///   - budget: The node's reservation budget: the file reserves only what the budget still has,
    ///     and gives it back when closed.
    ///   - keepingFirst: Bytes already in the file to keep and append after (a resumable upload's
    ///     tail); 0 truncates.
    /// - Throws: `.insufficientStorage` when the file cannot be created or its blocks do not fit.
    init(
        path: String, expectedBytes: Int64?, budget: SpoolReservationBudget, keepingFirst: Int64 = 0
    ) throws(CoreStoreError) {
        let file: OpenFile
        do {
            file = try OpenFile(path: path, flags: O_WRONLY | O_CREAT | (keepingFirst > 0 ? 0 : O_TRUNC), mode: 0o600)
        } catch {
            throw CoreStoreError(.insufficientStorage)
        }
        let fd = file.descriptor
        PrivateFileModes.restrict(descriptor: fd)
        let blockBytes = FileBlockReservation.blockSize(fileDescriptor: fd)
        let reserving = budget.take(
            upTo: min(expectedBytes ?? 0, Self.maxReservationBytes), granularity: blockBytes)
        if FileBlockReservation.reserve(fileDescriptor: fd, bytes: reserving) == .noSpace {
            budget.giveBack(reserving)
            throw CoreStoreError(.insufficientStorage)
        }
        self.file = file
        self.offset = keepingFirst
        self.reservedBytes = reserving
        self.blockBytes = blockBytes
        self.budget = budget
    }

    /// The most a spool file reserves: a declared length makes disk space used before any byte
    /// arrives, so a client that announces a large body and sends nothing holds at most this
    /// much until its request times out. Bytes beyond it are allocated as they are written.
    static let maxReservationBytes: Int64 = 64 << 20

    deinit {
        budget.giveBack(reservedBytes)
    }

    /// Appends the readable bytes of `buffer`.
    /// - Throws: `.insufficientStorage` on a failed write (disk full, I/O error).
    func append(_ buffer: ByteBuffer) throws(CoreStoreError) {
        do {
            try buffer.withUnsafeReadableBytes { try file.writeAll($0, at: offset) }
        } catch {
            throw CoreStoreError(.insufficientStorage)
        }
        offset += Int64(buffer.readableBytes)
    }

    /// Frees reserved blocks past the block of the last byte written: only when the body was
    /// shorter than declared by more than its last block (a form with large text parts, a
    /// client that stopped early).
    func releaseUnusedReservation() {
        let bytesOfBlocksWritten = (offset + blockBytes - 1) / blockBytes * blockBytes
        if reservedBytes > bytesOfBlocksWritten { _ = ftruncate(file.descriptor, off_t(offset)) }
    }
}
