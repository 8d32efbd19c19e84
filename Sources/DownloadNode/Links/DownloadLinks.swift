import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NodeHTTP

/// What the download node needs for signed browser links (docs/decisions/0023): the signer over
/// the configured (or generated) keys, the longest lifetime, and where link URLs point.
struct DownloadLinks: Sendable {
    /// The lifetime of a link when `expires_in` is not given (capped at the maximum).
    static let defaultLifetime: Int64 = 3600

    let signer: DownloadLinkSigner
    /// The longest lifetime a link may be issued for, in seconds (`linkMaxExpirySeconds`).
    let maximumLifetime: Int64
    /// `scheme://host[:port]` of link URLs, or `nil` to take it from each request.
    let baseURL: String?
    /// Whether the node itself serves HTTPS (the scheme of a derived base URL without `X-Forwarded-Proto`).
    let servesTLS: Bool

    /// Loads the keys and checks the base URL.
    /// - Parameters:
    ///   - configuration: The node configuration.
    ///   - logger: Told which keys verify (ids only).
    /// - Throws: ``ConfigurationError`` naming `linkKeysFile` or `linkBaseUrl`; `CoreStoreError`
    ///   when the generated key file cannot be read or created.
    static func make(configuration: NodeConfiguration, logger: Logger) throws -> DownloadLinks {
        let settings = configuration.download
        var baseURL: String?
        if let text = settings.linkBaseURL {
            guard let url = Self.baseURL(text) else {
                throw ConfigurationError(
                    key: "linkBaseUrl", message: "\"\(text.prefix(80))\" is not http(s)://host[:port] without a path")
            }
            baseURL = url
        }
        let keys: [DownloadLinkKey]
        if let path = settings.linkKeysFile {
            do throws(CoreStoreError) {
                keys = try DownloadLinkKeyFile.load(path: path)
            } catch {
                throw ConfigurationError(key: "linkKeysFile", message: error.message)
            }
        } else {
            let secret = try HMACSecretFile.loadOrCreate(
                dataDirectory: configuration.dataDirectory, fileName: HMACSecretFile.linkFileName, logger: logger)
            keys = [try DownloadLinkKey.generated(secret: secret)]
        }
        let signer = try DownloadLinkSigner(keys: keys)
        logger.info(
            "download link keys loaded",
            metadata: ["link.signing_key_id": "\(signer.signingKeyID)", "link.key_ids": "\(signer.keyIDs)"])
        return DownloadLinks(
            signer: signer, maximumLifetime: settings.linkMaxExpirySeconds, baseURL: baseURL,
            servesTLS: configuration.tls.isEnabled)
    }

    /// `text` as a base URL (`http` or `https`, a host, an optional port, nothing else; one
    /// trailing `/` is dropped), or `nil`.
    static func baseURL(_ text: String) -> String? {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let separator = trimmed.range(of: "://") else { return nil }
        let scheme = trimmed[..<separator.lowerBound].lowercased()
        let authority = trimmed[separator.upperBound...]
        guard scheme == "http" || scheme == "https", isAuthority(authority) else { return nil }
        return scheme + "://" + authority
    }

    /// Whether `text` is `host[:port]`: a DNS name or IPv4 address, or an IPv6 address in brackets,
    /// and a port of 1–5 digits.
    static func isAuthority(_ text: Substring) -> Bool {
        var host = text
        if let colon = text.lastIndex(of: ":"), !text[colon...].contains("]") {
            let port = text[text.index(after: colon)...]
            guard (1...5).contains(port.utf8.count), port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let number = Int(port), number <= 65535
            else { return false }
            host = text[..<colon]
        }
        guard (1...253).contains(host.utf8.count) else { return false }
        if host.first == "[" {
            return host.last == "]"
                && host.dropFirst().dropLast().utf8.allSatisfy { byte in
                    byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".") || isHexDigit(byte)
                }
        }
        return host.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || (0x30...0x39).contains(byte)
                || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// The base URL of a link issued in answer to `request`: the configured one, else the scheme
    /// (`X-Forwarded-Proto` when it says `http` or `https`, else the node's own) and the `Host`.
    /// - Throws: `.badRequest` when there is no `Host` or it is no `host[:port]`.
    func baseURL(for request: Request) throws(CoreStoreError) -> String {
        if let baseURL { return baseURL }
        let forwarded = request.headers[.xForwardedProto]?.split(separator: ",").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let scheme = forwarded.flatMap { $0 == "http" || $0 == "https" ? $0 : nil } ?? (servesTLS ? "https" : "http")
        guard let authority = request.head.authority, Self.isAuthority(authority[...]) else {
            throw CoreStoreError(
                .badRequest, "the Host header cannot form a link URL (the node's linkBaseUrl is not set)")
        }
        return scheme + "://" + authority
    }

    /// The lifetime a link request asks for with `expires_in` (percent-decoded).
    /// - Throws: `.badRequest` unless it is absent or one decimal number from 1 to the maximum.
    func lifetime(of request: Request) throws(CoreStoreError) -> Int64 {
        let values = request.uri.queryParameters[values: "expires_in"]
        guard let text = values.first else { return min(Self.defaultLifetime, maximumLifetime) }
        guard values.count == 1, (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let seconds = Int64(text), (1...maximumLifetime).contains(seconds)
        else {
            throw CoreStoreError(
                .badRequest, "expires_in must be a whole number of seconds from 1 to \(maximumLifetime)")
        }
        return seconds
    }

    /// The link parameters of a download request: `nil` when it names none of `fid`, `expires`,
    /// `kid`, `sig` (a bearer download), else what they parse to.
    static func parameters(of request: Request) -> Result<DownloadLinkParameters, DownloadLinkFailure>? {
        let query = request.uri.queryParameters
        let values = DownloadLinkParameters.names.map { query[values: Substring($0)] }
        guard values.contains(where: { !$0.isEmpty }) else { return nil }
        guard values.allSatisfy({ $0.count == 1 }) else { return .failure(.malformed) }
        let text = values.map { String($0[0]) }
        do throws(DownloadLinkFailure) {
            return .success(
                try DownloadLinkParameters(fileID: text[0], expires: text[1], keyID: text[2], signature: text[3]))
        } catch {
            return .failure(error)
        }
    }

    /// Authorizes a download by its link: the path's user and name, the signature, the expiry,
    /// then the owner's request rate. An `Authorization` header is not looked at.
    /// - Parameters:
    ///   - parsed: What ``parameters(of:)`` returned.
    ///   - context: The request context (path parameters, logger).
    ///   - authorizer: Spends a token of the owner's request bucket.
    /// - Returns: The owner, the name and the link.
    /// - Throws: `.invalidCredentials` for every link failure (counted by reason), `.rateLimited`.
    func authorize(
        _ parsed: Result<DownloadLinkParameters, DownloadLinkFailure>, context: NodeRequestContext,
        authorizer: RequestAuthorizer
    ) async throws -> (UserID, FileName, DownloadLinkParameters) {
        let verified: (UserID, FileName, DownloadLinkParameters)
        do throws(DownloadLinkFailure) {
            let link = try parsed.get()
            guard let uid = try? PathParameter.decoded("uid", in: context, invalid: .invalidCredentials),
                let userID = try? UserID(validating: uid),
                let name = try? PathParameter.decoded("fname", in: context, invalid: .invalidCredentials),
                let fileName = try? FileName(validating: name)
            else { throw .malformed }
            let now = Int64(Date().timeIntervalSince1970.rounded(.down))
            try signer.verify(link, userID: userID, fileName: fileName, now: now, maximumLifetime: maximumLifetime)
            verified = (userID, fileName, link)
        } catch {
            Counter(label: "uds_download_link_rejections_total", dimensions: [("reason", error.rawValue)]).increment()
            context.logger.info("download link refused", metadata: ["link.failure": "\(error.rawValue)"])
            throw CoreStoreError(.invalidCredentials)
        }
        try await authorizer.admit(verified.0, context: context)
        return verified
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-Proto` (set by the ALB).
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
