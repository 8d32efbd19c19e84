public import Logging

extension AuthConfiguration {
    /// The HS256 secret to sign and verify with: the UTF-8 bytes of ``hs256Secret`` when set, else
    /// the data directory's ``HMACSecretFile`` (created when missing).
    /// - Parameters:
    ///   - dataDirectory: The node's data directory.
    ///   - logger: Passed to ``HMACSecretFile/loadOrCreate(dataDirectory:fileName:logger:)``.
    /// - Returns: The secret.
    /// - Throws: `CoreStoreError(.internalError)` when the file cannot be read, created or decoded.
    public func hs256SecretBytes(dataDirectory: String, logger: Logger? = nil) throws(CoreStoreError) -> [UInt8] {
        if let hs256Secret { return Array(hs256Secret.utf8) }
        return try HMACSecretFile.loadOrCreate(dataDirectory: dataDirectory, logger: logger)
    }
}
