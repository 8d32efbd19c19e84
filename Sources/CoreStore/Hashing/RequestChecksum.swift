internal import Crypto
import Foundation

/// A per-request checksum (tus `Upload-Checksum: <algorithm> <base64 digest>`), checked over the
/// request's body bytes.
public struct RequestChecksum: Sendable {
    /// The algorithms the node checks.
    public enum Algorithm: String, Sendable, CaseIterable {
        /// MD5 (RFC 1321).
        case md5
        /// SHA-1 (RFC 3174).
        case sha1
    }

    /// The algorithm named.
    public let algorithm: Algorithm
    private let expected: [UInt8]
    private var md5 = Insecure.MD5()
    private var sha1 = Insecure.SHA1()

    /// Parses an `Upload-Checksum` value.
    /// - Parameter header: `<algorithm> <base64 digest>`.
    /// - Throws: `.badRequest` for an unknown algorithm or a digest of the wrong form or length.
    public init(header: String) throws(CoreStoreError) {
        let fields = header.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 2, let algorithm = Algorithm(rawValue: fields[0].lowercased()) else {
            throw CoreStoreError(.badRequest, "Upload-Checksum must be 'md5 <base64>' or 'sha1 <base64>'")
        }
        guard let digest = Data(base64Encoded: String(fields[1])),
            digest.count == (algorithm == .md5 ? 16 : 20)
        else { throw CoreStoreError(.badRequest, "Upload-Checksum digest is not base64 of the algorithm's length") }
        self.algorithm = algorithm
        self.expected = Array(digest)
    }

    /// Feeds body bytes.
    /// - Parameter bytes: The next bytes of the body.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch algorithm {
        case .md5: md5.update(bufferPointer: bytes)
        case .sha1: sha1.update(bufferPointer: bytes)
        }
    }

    /// Whether the bytes fed have the announced digest.
    public var matches: Bool {
        switch algorithm {
        case .md5: Array(md5.finalize()) == expected
        case .sha1: Array(sha1.finalize()) == expected
        }
    }
}
