import CoreStore

#if canImport(Glibc)
import Glibc
#endif

/// One pass over a resumable upload's spool file: the MD5 of each part (its `Content-MD5`) and
/// the upload's running MD5 across them, in 256 KiB reads of pages the body just wrote.
enum SpoolPartHashing {
    /// A byte range of the spool file.
    struct Range {
        var offset: Int64
        var length: Int64
    }

    /// Hashes `ranges` (consecutive, ascending) of the file at `path` into `running`, returning
    /// each range's own MD5.
    /// - Throws: `.internalError` when the file is shorter than the ranges.
    static func hash(
        path: String, ranges: [Range], running: inout ResumableMD5
    ) throws(CoreStoreError) -> [ContentDigest] {
        let fd = try openForReading(path)
        defer { close(fd) }
        var digests: [ContentDigest] = []
        for range in ranges {
            var part = MD5Hasher()
            try read(range, of: fd) { bytes in
                part.update(bytes)
                running.update(bytes)
            }
            digests.append(part.finalize())
        }
        return digests
    }

    /// Feeds the first `length` bytes of the file at `path` into `running` (no per-part digest).
    /// - Throws: `.internalError` when the file is shorter.
    static func hash(path: String, length: Int64, running: inout ResumableMD5) throws(CoreStoreError) {
        let fd = try openForReading(path)
        defer { close(fd) }
        try read(Range(offset: 0, length: length), of: fd) { running.update($0) }
    }

    /// Copies `range` of the file at `source` into a new file at `target`.
    /// - Throws: `.insufficientStorage` when the copy cannot be written, `.internalError` on a short read.
    static func copy(_ range: Range, of source: String, to target: String) throws(CoreStoreError) {
        let input = try openForReading(source)
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw CoreStoreError(.insufficientStorage) }
        defer { close(output) }
        var done: Int64 = 0
        var failed = false
        try read(range, of: input) { bytes in
            var written = 0
            while !failed, written < bytes.count {
                let wrote = pwrite(output, bytes.baseAddress! + written, bytes.count - written, off_t(done + Int64(written)))
                if wrote < 0, errno == EINTR { continue }
                if wrote <= 0 { failed = true } else { written += wrote }
            }
            done += Int64(bytes.count)
        }
        if failed { throw CoreStoreError(.insufficientStorage) }
    }

    private static func openForReading(_ path: String) throws(CoreStoreError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CoreStoreError(.internalError) }
        return fd
    }

    /// Reads `range` of `fd` in 256 KiB pieces, handing each to `body`.
    /// - Throws: `.internalError` on a short read.
    private static func read(
        _ range: Range, of fd: Int32, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(CoreStoreError) {
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        var done: Int64 = 0
        while done < range.length {
            let want = Int(min(Int64(buffer.count), range.length - done))
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(range.offset + done)) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { throw CoreStoreError(.internalError) }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            done += Int64(got)
        }
    }
}
