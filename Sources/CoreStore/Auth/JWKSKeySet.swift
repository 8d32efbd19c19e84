import Foundation
internal import JWTKit
import Logging

/// A verification key from a JWKS, pinned to one algorithm.
struct PinnedKey: Sendable {
    /// The only `alg` a token verified with this key may name.
    let algorithmName: String
    /// jwt-kit's verifier for the key and algorithm.
    let verifier: any JWTAlgorithm
}

/// Turns a JWKS document into pinned keys by `kid`.
///
/// Each key is pinned to the `alg` its JWK declares, or by key type when it declares none
/// (RSA → RS256; EC P-256/P-384/P-521 → ES256/ES384/ES512). Keys that cannot be used are skipped
/// with a log line, never fatal to the rest: no `kid`, `use` other than `sig`, private material,
/// an unsupported or inconsistent algorithm, a key jwt-kit cannot build, a repeated `kid`.
enum JWKSKeySet {
    /// Algorithms a JWKS key may be pinned to. Symmetric (`HS*`) and `none` are never among them.
    static let supportedAlgorithms: Set<String> = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    ]
    /// Larger documents are refused (Cognito's is about 1 KB).
    static let maximumDocumentBytes = 1024 * 1024
    /// At most this many keys are kept.
    static let maximumKeys = 64

    /// Parses a document.
    /// - Parameters:
    ///   - document: JWKS JSON.
    ///   - logger: Receives one warning per skipped key.
    /// - Returns: Usable keys by `kid`.
    /// - Throws: ``JWKSDocumentError`` when the document is not a JWKS or has no usable key.
    static func parse(_ document: [UInt8], logger: Logger) async throws(JWKSDocumentError) -> [String: PinnedKey] {
        guard document.count <= maximumDocumentBytes else { throw .tooLarge }
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode(Document.self, from: Data(document)).keys
        } catch {
            throw .notAJWKS
        }
        var keys: [String: PinnedKey] = [:]
        for entry in entries.prefix(maximumKeys) {
            let kid = entry.kid ?? ""
            do throws(SkipReason) {
                guard !kid.isEmpty else { throw .missingKeyID }
                guard keys[kid] == nil else { throw .duplicateKeyID }
                keys[kid] = try await pinnedKey(for: entry, kid: kid)
            } catch {
                logger.warning(
                    "JWKS key skipped", metadata: ["auth.jwks.kid": "\(kid)", "auth.jwks.reason": "\(error)"])
            }
        }
        guard !keys.isEmpty else { throw .noUsableKey }
        return keys
    }

    private static func pinnedKey(for entry: Entry, kid: String) async throws(SkipReason) -> PinnedKey {
        guard let jwk = entry.jwk else { throw .unsupportedKey }
        guard entry.use == nil || entry.use == "sig" else { throw .notForSignatures }
        guard !entry.hasPrivateMaterial else { throw .privateKeyPublished }
        guard let algorithm = pinnedAlgorithm(for: jwk) else { throw .unsupportedAlgorithm }
        let verifier: any JWTAlgorithm
        do {
            let collection = JWTKeyCollection()
            try await collection.add(jwk: jwk)
            verifier = try await collection.getKey(for: JWKIdentifier(string: kid), alg: algorithm)
        } catch {
            throw .unsupportedKey
        }
        guard verifier.name == algorithm else { throw .unsupportedAlgorithm }
        return PinnedKey(algorithmName: algorithm, verifier: verifier)
    }

    /// The declared `alg` if supported and consistent with the key type; else the key type's default.
    static func pinnedAlgorithm(for jwk: JWK) -> String? {
        let byKeyType: [String]
        switch jwk.keyType {
        case .rsa:
            byKeyType = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
        case .ecdsa:
            switch jwk.curve?.rawValue {
            case "P-256": byKeyType = ["ES256"]
            case "P-384": byKeyType = ["ES384"]
            case "P-521": byKeyType = ["ES512"]
            default: return nil
            }
        default:
            return nil
        }
        guard let declared = jwk.algorithm?.rawValue else { return byKeyType.first }
        return byKeyType.contains(declared) && supportedAlgorithms.contains(declared) ? declared : nil
    }

    private struct Document: Decodable {
        let keys: [Entry]
    }

    /// One key of the set, decoded without failing the whole document.
    private struct Entry: Decodable {
        let jwk: JWK?
        let kid: String?
        let use: String?
        let hasPrivateMaterial: Bool

        private enum CodingKeys: String, CodingKey {
            case kid, use, d, p, q, k
        }

        init(from decoder: any Decoder) throws {
            jwk = try? JWK(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kid = try? container.decodeIfPresent(String.self, forKey: .kid)
            use = try? container.decodeIfPresent(String.self, forKey: .use)
            hasPrivateMaterial = [.d, .p, .q, .k].contains { container.contains($0) }
        }
    }

    /// Why one key of a document was skipped.
    private enum SkipReason: String, Error, CustomStringConvertible {
        case missingKeyID, duplicateKeyID, notForSignatures, privateKeyPublished, unsupportedAlgorithm, unsupportedKey
        var description: String { rawValue }
    }
}

/// Why a whole JWKS document was refused (the verifier then keeps its cached keys).
enum JWKSDocumentError: String, Error, CustomStringConvertible {
    case tooLarge, notAJWKS, noUsableKey
    var description: String { rawValue }
}
