import Foundation

/// Permission bits of local files (the node's own files must be 0600, its directories 0700).
public enum FileModes {
    /// The permission bits (`st_mode & 0o7777`) of `path`, or `nil` when it does not exist.
    public static func of(_ path: String) -> UInt32? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? NSNumber
        else { return nil }
        return mode.uint32Value & 0o7777
    }

    /// Every file and directory under `root` (not `root` itself) whose mode is not 0600 (files) or
    /// 0700 (directories), as `"path 0644"` lines; empty when all are private.
    public static func notPrivate(under root: String) -> [String] {
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let path = root + "/" + relative
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let mode = (attributes[.posixPermissions] as? NSNumber)?.uint32Value
            else { continue }
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            if mode != (isDirectory ? 0o700 : 0o600) { found.append("\(relative) \(String(mode, radix: 8))") }
        }
        return found
    }
}
