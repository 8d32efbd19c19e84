import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Parted uploads on the local file system: part `n` of upload `u` is the file
/// `<root>/.parts/<u>/<n>.<etag>` (the etag is random per write, so a part written again under
/// the same number is a different file and the recorded etag picks the exact bytes); assembling
/// copies the parts into `.tmp`, `fsync`s and renames the result into place.
extension FileSystemObjectStore: ResumablePartStore {
    /// Creates the upload's part directory.
    public func beginParts(key: ObjectKey, contentType: String) async throws -> String {
        _ = try objectPath(key)
        let uploadID = (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined(separator: "-")
        let (directory, logger) = (partsDirectory(uploadID), self.logger)
        try await pool.run {
            try FileSystemObjectStoreFile.makeDirectory(Self.parent(of: directory), logger: logger)
            try FileSystemObjectStoreFile.makeDirectory(directory, logger: logger)
        }
        return uploadID
    }

    /// Copies the range in with MD5 verification and `fsync`.
    public func storePart(
        key: ObjectKey, uploadID: String, partNumber: Int, fromFile path: String, offset: Int64, length: Int64,
        md5: ContentDigest
    ) async throws -> CompletedPart {
        let directory = try existingPartsDirectory(uploadID)
        let etag = String(UInt64.random(in: .min ... .max), radix: 16)
        let logger = self.logger
        try await pool.run {
            let source = try FileSystemObjectStoreFile(path: path, flags: O_RDONLY, logger: logger)
            let temporary = "\(directory)/\(partNumber).\(etag).tmp"
            let output = try FileSystemObjectStoreFile(
                path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, logger: logger, missing: .objectStoreRejected)
            var published = false
            defer { if !published { unlink(temporary) } }
            var hasher = MD5Hasher()
            let copied = try output.copy(from: source, offset: offset, length: length) { hasher.update($0) }
            guard copied == length else { throw CoreStoreError(.internalError) }
            guard hasher.finalize() == md5 else { throw CoreStoreError(.checksumMismatch) }
            try output.sync()
            output.dropCachedPages()
            guard rename(temporary, "\(directory)/\(partNumber).\(etag)") == 0 else {
                throw FileSystemObjectStoreFile.failure("rename", logger)
            }
            published = true
        }
        return CompletedPart(partNumber: partNumber, etag: etag)
    }

    /// Concatenates the named parts into the object and removes the upload's directory.
    public func assembleParts(key: ObjectKey, uploadID: String, parts: [CompletedPart]) async throws {
        let target = try objectPath(key)
        let directory = try existingPartsDirectory(uploadID)
        let (root, logger) = (self.root, self.logger)
        try await pool.run {
            try Self.publishObject(at: target, root: root, logger: logger) { output throws(CoreStoreError) in
                for part in parts {
                    guard part.etag.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
                    else {
                        throw CoreStoreError(.objectStoreRejected)
                    }
                    let source = try FileSystemObjectStoreFile(
                        path: "\(directory)/\(part.partNumber).\(part.etag)", flags: O_RDONLY, logger: logger,
                        missing: .objectStoreRejected)
                    _ = try output.copy(from: source, offset: 0, length: try source.size()) { _ in }
                }
            }
            Self.removeTree(directory)
        }
    }

    /// Removes the upload's directory.
    public func discardParts(key: ObjectKey, uploadID: String) async throws {
        guard Self.isValidUploadID(uploadID) else { return }
        let directory = partsDirectory(uploadID)
        try await pool.run { Self.removeTree(directory) }
    }

    private func partsDirectory(_ uploadID: String) -> String { "\(root)/.parts/\(uploadID)" }

    private func existingPartsDirectory(_ uploadID: String) throws(CoreStoreError) -> String {
        guard Self.isValidUploadID(uploadID) else { throw CoreStoreError(.objectStoreRejected) }
        let directory = partsDirectory(uploadID)
        guard access(directory, F_OK) == 0 else { throw CoreStoreError(.objectStoreRejected) }
        return directory
    }

    private static func isValidUploadID(_ uploadID: String) -> Bool {
        !uploadID.isEmpty
            && uploadID.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || $0 == 0x2D }
    }

    private static func removeTree(_ directory: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            unlink("\(directory)/\(entry)")
        }
        rmdir(directory)
    }
}
