import Foundation

/// The opaque `list` cursor: base64url (no padding) of the last file id of the previous page.
enum FileListCursor {
    /// The cursor that continues after `fileID`.
    static func encode(after fileID: FileID) -> String {
        Data(fileID.rawValue.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The file id a cursor continues after.
    /// - Throws: `CoreStoreError(.badRequest, "invalid cursor")` for anything ``encode(after:)`` did not produce.
    static func decode(_ cursor: String) throws(CoreStoreError) -> FileID {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        guard cursor.utf8.count <= 64, cursor.utf8.allSatisfy(alphabet.contains) else {
            throw CoreStoreError(.badRequest, "invalid cursor")
        }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let fileID = FileID(text)
        else {
            throw CoreStoreError(.badRequest, "invalid cursor")
        }
        return fileID
    }
}
