internal import CStubs
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The sidecar `<fileid>.meta` written at insert: what the data file must be to be trusted again
/// after a restart. 24 bytes: magic `UDSLRU1\n`, size and XXH3-64 as little-endian UInt64.
struct CacheSidecar: Equatable {
    /// Size of the data file.
    var size: Int64
    /// XXH3-64 of the data file.
    var xxh3: UInt64

    private static let magic = Array("UDSLRU1\n".utf8)
    /// Encoded length.
    static let byteCount = 24

    /// The 24-byte encoding.
    var encoded: [UInt8] {
        var bytes = Self.magic
        withUnsafeBytes(of: UInt64(size).littleEndian) { bytes += $0 }
        withUnsafeBytes(of: xxh3.littleEndian) { bytes += $0 }
        return bytes
    }

    /// Decodes; `nil` unless the bytes are exactly a sidecar.
    init?(decoding bytes: [UInt8]) {
        guard bytes.count == Self.byteCount, Array(bytes[0..<8]) == Self.magic else { return nil }
        func word(_ offset: Int) -> UInt64 {
            bytes[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
        guard word(8) <= UInt64(Int64.max) else { return nil }
        size = Int64(word(8))
        xxh3 = word(16)
    }

    /// Creates a sidecar.
    init(size: Int64, xxh3: UInt64) {
        self.size = size
        self.xxh3 = xxh3
    }
}

/// Small POSIX helpers of the disk cache; every failure becomes a `CoreStoreError` with errno logged.
enum CacheFileIO {
    /// `stat` of a regular file: size and modification time (nanoseconds since 1970).
    static func status(_ path: String) -> (size: Int64, modified: Int64)? {
        var modified: Int64 = 0
        let size = cstubs_regular_file_size(path, &modified)
        return size < 0 ? nil : (size, modified)
    }

    /// Size and XXH3-64 of a file's contents, read in 1 MiB chunks; `nil` when it cannot be read.
    static func hashFile(_ path: String) -> (size: Int64, xxh3: UInt64)? {
        guard let file = try? OpenFile(path: path, flags: O_RDONLY) else { return nil }
        let hasher = XXH3Hasher()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { chunk.deallocate() }
        var total: Int64 = 0
        while true {
            guard let count = try? file.read(into: chunk) else { return nil }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            total += Int64(count)
        }
        return (total, hasher.digest())
    }

    /// Reads a whole small file; `nil` when it cannot be read.
    static func readSmallFile(_ path: String, limit: Int) -> [UInt8]? {
        guard let file = try? OpenFile(path: path, flags: O_RDONLY) else { return nil }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        guard let count = try? bytes.withUnsafeMutableBytes({ try file.read(into: $0) }) else { return nil }
        return Array(bytes[0..<count])
    }

    /// Creates a new file (failing if it exists) holding `bytes`.
    static func writeNewFile(_ path: String, _ bytes: UnsafeRawBufferPointer, logger: Logger) throws(CoreStoreError) {
        do {
            let file = try OpenFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL)
            PrivateFileModes.restrict(descriptor: file.descriptor)
            try file.writeAll(bytes)
        } catch {
            throw failure("cache file write failed", error, path: path, logger: logger)
        }
    }

    /// Atomically moves a file into place.
    static func rename(_ source: String, to destination: String, logger: Logger) throws(CoreStoreError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw failure("cache file rename failed", path: destination, logger: logger)
        }
    }

    /// Deletes a file; a missing file is fine, other failures are logged.
    static func remove(_ path: String, logger: Logger) {
        if unlink(path) != 0 && errno != ENOENT {
            logger.warning("cache file delete failed", metadata: ["cache.path": "\(path)", "errno": "\(errno)"])
        }
    }

    /// Creates a directory and its parents (mode 0700, ``PrivateFileModes``).
    static func makeDirectory(_ path: String, logger: Logger) throws(CoreStoreError) {
        do {
            try PrivateFileModes.makeDirectory(path)
        } catch {
            logger.error("cache directory create failed", metadata: ["cache.path": "\(path)", "error": "\(error)"])
            throw CoreStoreError(.internalError)
        }
    }

    /// Names in a directory (empty when it cannot be listed).
    static func list(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    /// Maps the current errno to a `CoreStoreError` (full disk → `.insufficientStorage`) and logs it.
    static func failure(_ message: Logger.Message, path: String, logger: Logger) -> CoreStoreError {
        failure(message, FileCallError(call: "", errno: errno), path: path, logger: logger)
    }

    /// Maps a failed call to a `CoreStoreError` (full disk → `.insufficientStorage`) and logs it.
    static func failure(
        _ message: Logger.Message, _ error: FileCallError, path: String, logger: Logger
    ) -> CoreStoreError {
        logger.warning(message, metadata: ["cache.path": "\(path)", "errno": "\(error.errno)"])
        return error.coreStoreError(otherwise: .internalError)
    }
}
