import Configuration
import CoreStore
import Testing

@testable import NodeHTTP

/// How the `s3.*` keys become the object store's ``S3Configuration``.
@Suite("configuration: the s3 component")
struct S3ConfigurationReaderTests {
    private func s3(_ arguments: [String]) async throws -> S3Configuration? {
        let reader = try await NodeConfiguration.reader(arguments: ["upload-node"] + arguments, environment: [:])
        return S3Configuration(config: reader.scoped(to: "s3"))
    }

    @Test("no endpoint: no S3 configuration (local objects)")
    func noEndpoint() async throws {
        #expect(try await s3(["--s3-bucket", "b"]) == nil)
    }

    @Test("defaults beside an endpoint; a trailing slash is dropped")
    func defaults() async throws {
        let s3 = try #require(try await s3(["--s3-endpoint", "http://127.0.0.1:8333/"]))
        #expect(s3.endpoint == "http://127.0.0.1:8333")
        #expect(s3.region == "us-east-1")
        #expect(s3.bucket == "uploads")
        #expect(s3.addressingStyle == .path)
        #expect(s3.maxConcurrentRequests == 64)
        #expect(!s3.createBucket)
        #expect(s3.readinessPrefix == nil, "set by the node's wiring from keyPrefix")
    }

    @Test("a bare --s3-create-bucket flag is true")
    func createBucketFlag() async throws {
        let s3 = try #require(try await s3(["--s3-endpoint", "http://127.0.0.1:8333", "--s3-create-bucket"]))
        #expect(s3.createBucket)
    }

    @Test("without both keys the credentials are automatic: AWS_* variables when set, else the instance role")
    func automaticCredentials() async throws {
        let s3 = try #require(
            try await s3(["--s3-endpoint", "http://127.0.0.1:8333", "--s3-access-key", "only-the-access-key"]))
        guard case .automatic = s3.credentials else {
            Issue.record("one key alone must not give static credentials, got \(s3.credentials)")
            return
        }
        guard case .environment = s3.credentials.resolved(environment: ["AWS_ACCESS_KEY_ID": "AKIA"]) else {
            Issue.record("AWS_ACCESS_KEY_ID set: the environment's keys")
            return
        }
        guard case .instanceMetadata(let endpoint) = s3.credentials.resolved(environment: [:]) else {
            Issue.record("no AWS_ACCESS_KEY_ID: the instance role")
            return
        }
        #expect(endpoint == "http://169.254.169.254")
    }

    @Test("both keys (and a session token) give static credentials")
    func staticCredentials() async throws {
        let s3 = try #require(
            try await s3([
                "--s3-endpoint", "http://127.0.0.1:8333", "--s3-access-key", "ak", "--s3-secret-key", "sk",
                "--s3-session-token", "tok",
            ]))
        guard case .static(let accessKey, let secretKey, let sessionToken) = s3.credentials else {
            Issue.record("expected static credentials, got \(s3.credentials)")
            return
        }
        #expect(accessKey == "ak" && secretKey == "sk" && sessionToken == "tok")
    }
}
