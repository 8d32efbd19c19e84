import Foundation

/// The partial file of an unfinished download and the validator it was fetched under.
///
/// Bytes go to `<destination>.part`; the version's `ETag` (the quoted MD5 hex) to
/// `<destination>.part.etag`. A later download of the same destination resumes from the partial
/// file's size with `Range` + `If-Range: <that ETag>`; without the `.etag` file the partial bytes are
/// discarded (they cannot be validated). On success the partial file is renamed to the destination.
struct PartialDownload {
    let destination: String
    var partPath: String { destination + ".part" }
    var validatorPath: String { destination + ".part.etag" }

    /// The bytes already there and their ETag, or `nil` when there is nothing to resume.
    func existing() -> (size: Int64, etag: String)? {
        guard
            let etag = try? String(contentsOfFile: validatorPath, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines), !etag.isEmpty,
            let size = try? LocalFile.size(of: partPath), size > 0
        else { return nil }
        return (size, etag)
    }

    /// Starts afresh: an empty partial file recorded under `etag`; returns its handle.
    func restart(etag: String) throws -> FileHandle {
        try? FileManager.default.removeItem(atPath: validatorPath)
        guard FileManager.default.createFile(atPath: partPath, contents: nil) else {
            throw ClientError.localFile(path: partPath, reason: "cannot create")
        }
        try write(etag: etag)
        return try open()
    }

    /// The partial file, positioned at its end for appending.
    func open() throws -> FileHandle {
        guard let handle = FileHandle(forWritingAtPath: partPath) else {
            throw ClientError.localFile(path: partPath, reason: "cannot open for writing")
        }
        do { try handle.seekToEnd() } catch {
            throw ClientError.localFile(path: partPath, reason: "seek failed: \(error.localizedDescription)")
        }
        return handle
    }

    func write(etag: String) throws {
        do { try Data((etag + "\n").utf8).write(to: URL(fileURLWithPath: validatorPath)) } catch {
            throw ClientError.localFile(path: validatorPath, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Moves the finished file to the destination (replacing what was there) and drops the validator.
    func finish() throws {
        if rename(partPath, destination) != 0 {
            throw ClientError.localFile(path: destination, reason: "cannot rename \(partPath) to it: errno \(errno)")
        }
        try? FileManager.default.removeItem(atPath: validatorPath)
    }

    /// Removes the partial file and its validator.
    func discard() {
        try? FileManager.default.removeItem(atPath: partPath)
        try? FileManager.default.removeItem(atPath: validatorPath)
    }
}
