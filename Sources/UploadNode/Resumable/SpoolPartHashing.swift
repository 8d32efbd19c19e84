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
        let file = try openForReading(path)
        var digests: [ContentDigest] = []
        for range in ranges {
            var part = MD5Hasher()
            try read(range, of: file) { bytes in
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
        let file = try openForReading(path)
        try read(Range(offset: 0, length: length), of: file) { running.update($0) }
    }

    /// Copies `range` of the file at `source` into a new file at `target`.
    /// - Throws: `.insufficientStorage` when the copy cannot be written, `.internalError` on a short read.
    static func copy(_ range: Range, of source: String, to target: String) throws(CoreStoreError) {
        let input = try openForReading(source)
        let output: OpenFile
        do {
            output = try OpenFile(path: target, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
        } catch {
            throw CoreStoreError(.insufficientStorage)
        }
        var done: Int64 = 0
        var failed = false
        try read(range, of: input) { bytes in
            guard !failed else { return }
            do { try output.writeAll(bytes, at: done) } catch { failed = true }
            done += Int64(bytes.count)
        }
        if failed { throw CoreStoreError(.insufficientStorage) }
    }

    private static func openForReading(_ path: String) throws(CoreStoreError) -> OpenFile {
        do {
            return try OpenFile(path: path, flags: O_RDONLY)
        } catch {
            throw CoreStoreError(.internalError)
        }
    }

    /// Reads `range` of `file` in 256 KiB pieces, handing each to `body`.
    /// - Throws: `.internalError` on a short read.
    private static func read(
        _ range: Range, of file: OpenFile, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(CoreStoreError) {
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        var done: Int64 = 0
        while done < range.length {
            let want = Int(min(Int64(buffer.count), range.length - done))
            let got = try? buffer.withUnsafeMutableBytes { space in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: space[0..<want]), at: range.offset + done)
            }
            guard let got, got > 0 else { throw CoreStoreError(.internalError) }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            done += Int64(got)
        }
    }
}
