import Foundation

/// A ``JWKSFetching`` that serves fixed bytes (tests) or re-reads a local file on every fetch
/// (a `file://` JWKS URL; replacing the file rotates keys without a restart).
public struct StaticJWKSFetcher: JWKSFetching {
    private enum Source {
        case bytes([UInt8])
        case file(String)
    }

    private let source: Source

    /// Serves the given document.
    /// - Parameter bytes: The JWKS JSON.
    public init(bytes: [UInt8]) {
        source = .bytes(bytes)
    }

    /// Serves the file at `path`, read anew on each fetch.
    /// - Parameter path: A local file path.
    public init(filePath path: String) {
        source = .file(path)
    }

    /// Serves the file a `file://` URL names.
    /// - Parameter fileURL: `file:///absolute/path` (percent-escapes decoded).
    /// - Throws: `CoreStoreError(.internalError)` when the string is not a `file://` URL.
    public init(fileURL: String) throws(CoreStoreError) {
        guard let url = URL(string: fileURL), url.isFileURL, !url.path.isEmpty else {
            throw CoreStoreError(.internalError, "the JWKS URL is not a file:// URL")
        }
        source = .file(url.path)
    }

    /// Returns the document.
    /// - Throws: `CoreStoreError(.internalError)` when the file cannot be read.
    public func fetchJWKS() async throws -> [UInt8] {
        switch source {
        case .bytes(let bytes):
            return bytes
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CoreStoreError(.internalError, "cannot read the JWKS file")
            }
            return Array(data)
        }
    }
}
