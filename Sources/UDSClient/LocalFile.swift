import Crypto
import Foundation

/// Reading and writing local files for transfers, with errors as ``ClientError/localFile(path:reason:)``.
enum LocalFile {
    /// Bytes read per step when streaming a file.
    static let readChunk = 256 * 1024

    /// The size of the regular file at `path`.
    static func size(of path: String) throws -> Int64 {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw ClientError.localFile(path: path, reason: "no such file")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw ClientError.localFile(path: path, reason: "not a regular file")
        }
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Opens `path` for reading.
    static func openForReading(_ path: String) throws -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ClientError.localFile(path: path, reason: "cannot open for reading")
        }
        return handle
    }

    /// Up to `count` bytes from `handle`'s position.
    static func read(_ handle: FileHandle, count: Int, path: String) throws -> Data {
        do { return try handle.read(upToCount: count) ?? Data() } catch {
            throw ClientError.localFile(path: path, reason: "read failed: \(error.localizedDescription)")
        }
    }

    /// MD5 of the first `length` bytes of `path` (the whole file when `nil`), feeding `hasher`.
    static func hash(_ path: String, length: Int64? = nil, into hasher: inout Insecure.MD5) throws {
        let handle = try openForReading(path)
        defer { try? handle.close() }
        var remaining = length ?? Int64.max
        while remaining > 0 {
            let data = try read(handle, count: Int(min(Int64(readChunk), remaining)), path: path)
            if data.isEmpty { break }
            hasher.update(data: data)
            remaining -= Int64(data.count)
        }
    }

    /// Lowercase hex of a digest.
    static func hex(_ digest: Insecure.MD5.Digest) -> String {
        digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}
