internal import CStubs
import Foundation
public import Logging
public import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded ``ObjectStore``: each object is a file at `<root>/<key>`.
///
/// A put copies the source into `<root>/.tmp/`, checking its MD5 on the way, then `fsync`s and
/// `rename`s it into place, so an object is either complete and verified or absent. Once durable,
/// an object's pages leave the page cache: the upload node never reads them again, and pages it
/// frees at once are the ones its next uploads write into (docs/decisions/0015). All file I/O
/// runs on the ``BlockingPool``. Not a ``MultipartObjectStore`` (normal uploads are adopted whole), but a
/// ``ResumablePartStore`` for resumable uploads (`FileSystemObjectStore+Parts.swift`).
public final class FileSystemObjectStore: FileAdoptingObjectStore {
    private static let chunkSize = 256 * 1024
    let root: String
    let pool: BlockingPool
    let logger: Logger

    /// Creates a store; the directory is created on first use.
    /// - Parameters:
    ///   - rootDirectory: Where objects live.
    ///   - pool: Where blocking file I/O runs.
    ///   - logger: Receives I/O errors.
    public init(rootDirectory: String, pool: BlockingPool, logger: Logger) {
        self.root = rootDirectory.hasSuffix("/") ? String(rootDirectory.dropLast()) : rootDirectory
        self.pool = pool
        self.logger = logger
    }

    /// Hard-links an already verified file into place after `fsync`ing it (no copy, no second MD5
    /// pass); copies with verification when the link is impossible (another file system).
    public func adoptObject(key: ObjectKey, file path: String, size: Int64, md5: ContentDigest) async throws {
        let target = try objectPath(key)
        let logger = self.logger
        let linked = try await pool.run { () throws(CoreStoreError) -> Bool in
            let source = try FileSystemObjectStoreFile(path: path, flags: O_RDONLY, logger: logger)
            try source.sync()
            try FileSystemObjectStoreFile.makeDirectory(Self.parent(of: target), logger: logger)
            guard link(path, target) == 0 else {
                if errno == EXDEV || errno == EPERM { return false }  // the copy below reads the pages
                throw FileSystemObjectStoreFile.failure("link", logger, path: target)
            }
            source.dropCachedPages()
            FileSystemObjectStoreFile.syncDirectory(Self.parent(of: target))
            return true
        }
        if !linked {
            try await putObject(key: key, fromFile: path, size: size, md5: md5, contentType: "application/octet-stream")
        }
    }

    /// Copies the file in with MD5 verification and publishes it atomically.
    public func putObject(key: ObjectKey, fromFile path: String, size: Int64, md5: ContentDigest, contentType: String)
        async throws
    {
        let target = try objectPath(key)
        let (root, logger) = (self.root, self.logger)
        try await pool.run {
            let source = try FileSystemObjectStoreFile(path: path, flags: O_RDONLY, logger: logger)
            try Self.publishObject(at: target, root: root, logger: logger) { output throws(CoreStoreError) in
                var hasher = MD5Hasher()
                let copied = try output.copy(from: source, offset: 0, length: size) { hasher.update($0) }
                guard copied == size else {
                    logger.error("object source shorter than announced", metadata: ["object.key": "\(key)"])
                    throw CoreStoreError(.internalError)
                }
                guard hasher.finalize() == md5 else { throw CoreStoreError(.checksumMismatch) }
            }
        }
    }

    /// Copies the object, or an inclusive range, into a new file.
    public func getObject(key: ObjectKey, range: ClosedRange<Int64>?, toFile path: String) async throws -> Int64 {
        let source = try objectPath(key)
        let logger = self.logger
        return try await pool.run {
            let file = try FileSystemObjectStoreFile(
                path: source, flags: O_RDONLY, logger: logger, missing: .objectNotFound)
            let bounds = try Self.resolve(range, size: file.size())
            let output = try FileSystemObjectStoreFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC, logger: logger)
            do {
                return try output.copy(
                    from: file, offset: bounds.lowerBound, length: bounds.upperBound - bounds.lowerBound
                ) { _ in }
            } catch {
                unlink(path)
                throw error
            }
        }
    }

    /// Streams the object in 256 KiB chunks; each chunk is read only after `consumer` took the previous one.
    public func streamObject(
        key: ObjectKey, range: ClosedRange<Int64>?, to consumer: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        let source = try objectPath(key)
        let logger = self.logger
        let (file, bounds) = try await pool.run {
            let file = try FileSystemObjectStoreFile(
                path: source, flags: O_RDONLY, logger: logger, missing: .objectNotFound)
            return (file, try Self.resolve(range, size: file.size()))
        }
        var offset = bounds.lowerBound
        while offset < bounds.upperBound {
            let want = Int(min(Int64(Self.chunkSize), bounds.upperBound - offset))
            let start = offset
            let chunk = try await pool.run { try file.read(at: start, count: want) }
            guard chunk.readableBytes > 0 else { throw CoreStoreError(.objectStoreUnavailable) }
            try await consumer(chunk)
            offset += Int64(chunk.readableBytes)
        }
    }

    /// Size of the object (no ETag: the embedded store does not keep one).
    public func headObject(key: ObjectKey) async throws -> ObjectInfo {
        let source = try objectPath(key)
        let logger = self.logger
        return try await pool.run {
            let size = cstubs_regular_file_size(source, nil)
            guard size >= 0 else {
                if errno == ENOENT || errno == ENOTDIR { throw CoreStoreError(.objectNotFound) }
                throw FileSystemObjectStoreFile.failure("stat", logger)
            }
            return ObjectInfo(size: size, etag: nil)
        }
    }

    /// Removes the object file; a missing one is fine.
    public func deleteObject(key: ObjectKey) async throws {
        let target = try objectPath(key)
        let logger = self.logger
        try await pool.run {
            guard unlink(target) == 0 || errno == ENOENT || errno == ENOTDIR else {
                throw FileSystemObjectStoreFile.failure("unlink", logger)
            }
        }
    }

    /// Creates the root if needed and checks that it is a writable directory.
    public func checkReachable() async throws {
        let (root, logger) = (self.root, self.logger)
        try await pool.run {
            try FileSystemObjectStoreFile.makeDirectory(root, logger: logger)
            guard access(root, W_OK | X_OK) == 0 else { throw FileSystemObjectStoreFile.failure("access", logger) }
        }
    }

    // MARK: Helpers

    func objectPath(_ key: ObjectKey) throws(CoreStoreError) -> String {
        let parts = key.rawValue.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.rawValue.hasPrefix("/"), parts.first != ".tmp", parts.first != ".parts",
            parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\0") })
        else {
            logger.error("object key unusable as a path", metadata: ["object.key": "\(key)"])
            throw CoreStoreError(.objectStoreRejected)
        }
        return "\(root)/\(key.rawValue)"
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    /// Half-open byte bounds for `range` in an object of `size` bytes (S3 semantics: the end is clamped).
    private static func resolve(_ range: ClosedRange<Int64>?, size: Int64) throws(CoreStoreError) -> Range<Int64> {
        guard let range else { return 0..<size }
        guard range.lowerBound >= 0, range.lowerBound < size else { throw CoreStoreError(.rangeNotSatisfiable) }
        return range.lowerBound..<(min(range.upperBound, size - 1) + 1)
    }
}
