import Foundation

/// The configured download-link keys (`linkKeysFile`): one key per line, `<kid> <secret>`, the
/// secret as at least 64 hex digits (32 bytes; `openssl rand -hex 32`). The first key signs new
/// links, every key verifies. Blank lines and lines starting with `#` are ignored.
///
/// ```
/// # signing key first
/// 2026-12 6f1c…(64 hex digits)
/// 2026-06 9a0b…
/// ```
public enum DownloadLinkKeyFile {
    /// The largest file read, in bytes.
    static let maximumBytes = 64 * 1024

    /// Reads and parses the file.
    /// - Parameter path: The file.
    /// - Returns: The keys, signing key first.
    /// - Throws: `CoreStoreError(.internalError)` with a message naming the file and the line (never
    ///   a secret): unreadable, empty of keys, a malformed line, a short secret, a repeated id.
    public static func load(path: String) throws(CoreStoreError) -> [DownloadLinkKey] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CoreStoreError(.internalError, "cannot read \(path)")
        }
        guard data.count <= maximumBytes else { throw CoreStoreError(.internalError, "\(path) is over 64 KiB") }
        do throws(CoreStoreError) {
            return try parse(Array(data))
        } catch {
            throw CoreStoreError(.internalError, "\(path): \(error.message)")
        }
    }

    /// Parses the file's contents.
    /// - Parameter contents: The bytes.
    /// - Returns: The keys, in file order.
    /// - Throws: `CoreStoreError(.internalError)` naming the line.
    public static func parse(_ contents: [UInt8]) throws(CoreStoreError) -> [DownloadLinkKey] {
        var keys: [DownloadLinkKey] = []
        let lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let words = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
            guard let first = words.first, first.first != UInt8(ascii: "#") else { continue }
            guard words.count == 2 else {
                throw CoreStoreError(.internalError, "line \(number): expected \"<key id> <hex secret>\"")
            }
            let id = String(decoding: first, as: UTF8.self)
            guard DownloadLinkKey.isValidID(id) else {
                throw CoreStoreError(.internalError, "line \(number): a key id must be 1 to 64 of A-Z a-z 0-9 . _ -")
            }
            guard let secret = HMACSecretFile.decodeHex(Array(words[1])),
                secret.count >= DownloadLinkKey.minimumSecretBytes
            else {
                throw CoreStoreError(.internalError, "line \(number): the secret of key \(id) is not at least 64 hex digits")
            }
            guard !keys.contains(where: { $0.id == id }) else {
                throw CoreStoreError(.internalError, "line \(number): key id \(id) is listed twice")
            }
            keys.append(try DownloadLinkKey(id: id, secret: secret))
        }
        guard !keys.isEmpty else { throw CoreStoreError(.internalError, "no key (lines \"<key id> <hex secret>\")") }
        return keys
    }
}
