public import CoreStore
import Foundation
public import NodeHTTP

/// Stores, replaces and deletes files directly through the backends, in the order upload-node's
/// committer does: object, then row; a replaced or deleted version's row first, then its object.
public enum FileSeeder {
    /// Seeds `bytes` as `user`'s file `name` and returns the record.
    @discardableResult
    public static func seed(
        _ bytes: [UInt8], user: String, name: String, contentType: String = "application/octet-stream",
        parts: NodeMain.Parts
    ) async throws -> FileRecord {
        try await store(bytes, user: user, name: name, contentType: contentType, parts: parts).record
    }

    /// Uploads `bytes` over `user`'s existing file `name` as upload-node does: stores the new
    /// object, switches the row, then deletes the previous version's object and forgets its row.
    /// - Returns: The new record and the one it replaced.
    @discardableResult
    public static func replace(
        _ bytes: [UInt8], user: String, name: String, contentType: String = "application/octet-stream",
        parts: NodeMain.Parts
    ) async throws -> (record: FileRecord, replaced: FileRecord?) {
        let stored = try await store(bytes, user: user, name: name, contentType: contentType, parts: parts)
        if let replaced = stored.replaced { try await deleteObject(of: replaced, parts: parts) }
        return stored
    }

    /// Deletes `user`'s file `name` as upload-node does: the row first, then the object.
    /// - Returns: The removed record, or `nil` when there was none.
    @discardableResult
    public static func remove(user: String, name: String, parts: NodeMain.Parts) async throws -> FileRecord? {
        let removed = try await parts.backends.metadata.remove(
            userID: try UserID(validating: user), fileName: try FileName(validating: name))
        if let removed { try await deleteObject(of: removed, parts: parts) }
        return removed
    }

    private static func store(
        _ bytes: [UInt8], user: String, name: String, contentType: String, parts: NodeMain.Parts
    ) async throws -> (record: FileRecord, replaced: FileRecord?) {
        let userID = try UserID(validating: user)
        let fileID = FileID.generate()
        let key = ObjectKey(prefix: parts.configuration.keyPrefix, userID: userID, fileID: fileID)
        let path = IntegrationEnvironment.processRoot + "/seed-\(fileID.rawValue)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let md5 = MD5Hasher.digest(bytes)
        try await parts.backends.objectStore.putObject(
            key: key, fromFile: path, size: Int64(bytes.count), md5: md5, contentType: contentType)
        let record = FileRecord(
            fileID: fileID, userID: userID, fileName: try FileName(validating: name), objectKey: key,
            size: Int64(bytes.count), md5: md5, contentType: contentType, createdAt: Date())
        let replaced = try await parts.backends.metadata.commit(record)
        return (record, replaced)
    }

    private static func deleteObject(of record: FileRecord, parts: NodeMain.Parts) async throws {
        try await parts.backends.objectStore.deleteObject(key: record.objectKey)
        try await parts.backends.metadata.purge(fileID: record.fileID)
    }
}
