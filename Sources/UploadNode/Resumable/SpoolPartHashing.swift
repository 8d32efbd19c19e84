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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CoreStoreError(.internalError) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        var digests: [ContentDigest] = []
        for range in ranges {
            var part = MD5Hasher()
            var done: Int64 = 0
            while done < range.length {
                let want = Int(min(Int64(buffer.count), range.length - done))
                let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(range.offset + done)) }
                if got < 0, errno == EINTR { continue }
                guard got > 0 else { throw CoreStoreError(.internalError) }
                buffer.withUnsafeBytes { bytes in
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[0..<got])
                    part.update(slice)
                    running.update(slice)
                }
                done += Int64(got)
            }
            digests.append(part.finalize())
        }
        return digests
    }

    /// Copies `range` of the file at `source` into a new file at `target`.
    /// - Throws: `.insufficientStorage` when the copy cannot be written, `.internalError` on a short read.
    static func copy(_ range: Range, of source: String, to target: String) throws(CoreStoreError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw CoreStoreError(.internalError) }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw CoreStoreError(.insufficientStorage) }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        var done: Int64 = 0
        while done < range.length {
            let want = Int(min(Int64(buffer.count), range.length - done))
            let got = buffer.withUnsafeMutableBytes { pread(input, $0.baseAddress, want, off_t(range.offset + done)) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { throw CoreStoreError(.internalError) }
            var written = 0
            while written < got {
                let wrote = buffer.withUnsafeBytes {
                    pwrite(output, $0.baseAddress! + written, got - written, off_t(done) + off_t(written))
                }
                if wrote < 0, errno == EINTR { continue }
                guard wrote > 0 else { throw CoreStoreError(.insufficientStorage) }
                written += wrote
            }
            done += Int64(got)
        }
    }
}
