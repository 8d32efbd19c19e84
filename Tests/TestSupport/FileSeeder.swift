public import CoreStore
import Foundation
public import NodeHTTP

/// Stores a file directly through the backends (object, then row), as a committed upload would.
public enum FileSeeder {
    /// Seeds `bytes` as `user`'s file `name` and returns the record.
    @discardableResult
    public static func seed(
        _ bytes: [UInt8], user: String, name: String, contentType: String = "application/octet-stream",
        parts: NodeMain.Parts
    ) async throws -> FileRecord {
        let userID = try UserID(validating: user)
        let fileID = FileID.generate()
        let key = ObjectKey(prefix: parts.configuration.keyPrefix, userID: userID, fileID: fileID)
        let path = NSTemporaryDirectory() + "seed-\(fileID.rawValue)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let md5 = MD5Hasher.digest(bytes)
        try await parts.backends.objectStore.putObject(
            key: key, fromFile: path, size: Int64(bytes.count), md5: md5, contentType: contentType)
        let record = FileRecord(
            fileID: fileID, userID: userID, fileName: try FileName(validating: name), objectKey: key,
            size: Int64(bytes.count), md5: md5, contentType: contentType, createdAt: Date())
        _ = try await parts.backends.metadata.commit(record)
        return record
    }
}
