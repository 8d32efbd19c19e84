import Foundation
import Logging
import Synchronization

/// Resolved AWS credentials.
struct S3Credentials: Sendable, Equatable {
    /// Access key id.
    var accessKey: String
    /// Secret access key.
    var secretKey: String
    /// Session token of temporary credentials (sent as `x-amz-security-token`).
    var sessionToken: String?
    /// When temporary credentials expire; `nil` for long-lived ones.
    var expiration: Date?

    /// Refresh this long before ``expiration``.
    static let refreshMargin: TimeInterval = 300

    /// Whether the credentials must be fetched again at `now`.
    func needsRefresh(at now: Date) -> Bool {
        guard let expiration else { return false }
        return now >= expiration.addingTimeInterval(-Self.refreshMargin)
    }

    /// Parses the IMDS `security-credentials/<role>` document.
    /// - Throws: `.objectStoreRejected` when it is not a successful credentials document.
    static func parseInstanceMetadata(_ body: [UInt8]) throws(CoreStoreError) -> S3Credentials {
        struct Document: Decodable {
            var code: String?
            var accessKeyID: String?
            var secretAccessKey: String?
            var token: String?
            var expiration: String?

            /// IMDS spells its keys in upper camel case.
            enum CodingKeys: String, CodingKey {
                case code = "Code"
                case accessKeyID = "AccessKeyId"
                case secretAccessKey = "SecretAccessKey"
                case token = "Token"
                case expiration = "Expiration"
            }
        }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(body)),
            document.code == nil || document.code == "Success",
            let accessKey = document.accessKeyID, let secretKey = document.secretAccessKey
        else { throw CoreStoreError(.objectStoreRejected) }
        return S3Credentials(
            accessKey: accessKey, secretKey: secretKey, sessionToken: document.token,
            expiration: document.expiration.flatMap(S3XML.parseDate))
    }
}

/// Supplies credentials from the configured source: static keys, the environment dictionary,
/// or IMDSv2 (cached until 5 minutes before they expire).
final class S3CredentialsProvider: Sendable {
    private let source: S3Configuration.CredentialsSource
    private let environment: [String: String]
    private let http: CurlHTTPClient
    private let logger: Logger
    private let cached = Mutex<S3Credentials?>(nil)

    /// Creates a provider.
    /// - Parameters:
    ///   - source: Where credentials come from.
    ///   - environment: The process environment as the application read it (nothing here reads it itself).
    ///   - http: Client for the instance metadata service.
    ///   - logger: Receives lookup failures.
    init(
        source: S3Configuration.CredentialsSource, environment: [String: String], http: CurlHTTPClient,
        logger: Logger
    ) {
        self.source = source.resolved(environment: environment)
        self.environment = environment
        self.http = http
        self.logger = logger
    }

    /// Credentials valid now.
    /// - Throws: `.objectStoreRejected` when none are configured; `.objectStoreUnavailable` when IMDS fails.
    func current(now: Date = Date()) async throws(CoreStoreError) -> S3Credentials {
        switch source {
        case .static(let accessKey, let secretKey, let sessionToken):
            return S3Credentials(accessKey: accessKey, secretKey: secretKey, sessionToken: sessionToken)
        case .environment:
            guard let accessKey = environment["AWS_ACCESS_KEY_ID"], !accessKey.isEmpty,
                let secretKey = environment["AWS_SECRET_ACCESS_KEY"], !secretKey.isEmpty
            else {
                logger.error("s3 credentials missing", metadata: ["s3.credentials": "environment"])
                throw CoreStoreError(.objectStoreRejected)
            }
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return S3Credentials(accessKey: accessKey, secretKey: secretKey, sessionToken: token)
        case .instanceMetadata(let endpoint):
            if let credentials = cached.withLock({ $0 }), !credentials.needsRefresh(at: now) { return credentials }
            let credentials = try await fetchInstanceMetadata(endpoint: endpoint)
            cached.withLock { $0 = credentials }
            return credentials
        case .automatic:
            preconditionFailure("resolved in init")
        }
    }

    /// Forgets cached credentials (after the store answered `ExpiredToken`).
    func invalidate() {
        cached.withLock { $0 = nil }
    }

    private func fetchInstanceMetadata(endpoint: String) async throws(CoreStoreError) -> S3Credentials {
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        let token = try await fetch(
            "PUT", url: base + "/latest/api/token", headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
        let auth = [("X-aws-ec2-metadata-token", String(decoding: token, as: UTF8.self))]
        let roles = try await fetch("GET", url: base + "/latest/meta-data/iam/security-credentials/", headers: auth)
        guard
            let role = String(decoding: roles, as: UTF8.self).split(whereSeparator: \.isNewline).first.map({
                $0.trimmingCharacters(in: .whitespaces)
            }), !role.isEmpty
        else {
            logger.error("s3 credentials missing", metadata: ["s3.credentials": "imds", "imds.error": "no role"])
            throw CoreStoreError(.objectStoreRejected)
        }
        let document = try await fetch(
            "GET", url: base + "/latest/meta-data/iam/security-credentials/" + role, headers: auth)
        return try S3Credentials.parseInstanceMetadata(document)
    }

    private func fetch(_ method: String, url: String, headers: [(String, String)]) async throws(CoreStoreError)
        -> [UInt8]
    {
        let result: HTTPFetchResult
        do {
            result =
                method == "PUT"
                ? try await http.put(url: url, headers: headers, timeout: 2)
                : try await http.get(url: url, headers: headers, timeout: 2)
        } catch {
            throw CoreStoreError(.objectStoreUnavailable)
        }
        guard result.status == 200 else {
            logger.error(
                "s3 credentials lookup failed",
                metadata: ["s3.credentials": "imds", "http.url": "\(url)", "http.status": "\(result.status)"])
            throw CoreStoreError(result.status == 404 ? .objectStoreRejected : .objectStoreUnavailable)
        }
        return result.body
    }
}
