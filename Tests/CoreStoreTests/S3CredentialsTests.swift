import Foundation
import Logging
import Testing

@testable import CoreStore

@Suite("S3Credentials")
struct S3CredentialsTests {
    static let pool = BlockingPool(threads: 2)

    private func provider(_ source: S3Configuration.CredentialsSource, _ environment: [String: String] = [:])
        -> S3CredentialsProvider
    {
        let logger = Logger(label: "test")
        return S3CredentialsProvider(
            source: source, environment: environment, http: CurlHTTPClient(pool: Self.pool, logger: logger),
            logger: logger)
    }

    @Test func parsesTheInstanceMetadataDocument() throws {
        let body = Array(
            """
            {"Code":"Success","LastUpdated":"2026-11-30T00:00:00Z","Type":"AWS-HMAC",
             "AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"secret/+=","Token":"token==",
             "Expiration":"2026-11-30T06:00:00Z"}
            """.utf8)
        let credentials = try S3Credentials.parseInstanceMetadata(body)
        #expect(credentials.accessKey == "ASIAEXAMPLE")
        #expect(credentials.secretKey == "secret/+=")
        #expect(credentials.sessionToken == "token==")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_796_018_400))
    }

    @Test func rejectsAFailedDocument() {
        #expect(throws: CoreStoreError(.objectStoreRejected)) {
            try S3Credentials.parseInstanceMetadata(Array(#"{"Code":"Failure","Message":"no role"}"#.utf8))
        }
        #expect(throws: CoreStoreError(.objectStoreRejected)) { try S3Credentials.parseInstanceMetadata([0x7B]) }
    }

    @Test func refreshesFiveMinutesBeforeExpiry() {
        let expiry = Date(timeIntervalSince1970: 10_000)
        let credentials = S3Credentials(accessKey: "a", secretKey: "s", sessionToken: "t", expiration: expiry)
        #expect(!credentials.needsRefresh(at: expiry.addingTimeInterval(-301)))
        #expect(credentials.needsRefresh(at: expiry.addingTimeInterval(-300)))
        #expect(credentials.needsRefresh(at: expiry.addingTimeInterval(10)))
        #expect(!S3Credentials(accessKey: "a", secretKey: "s").needsRefresh(at: .distantFuture))
    }

    @Test func readsTheEnvironmentDictionary() async throws {
        let credentials = try await provider(
            .environment,
            ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK", "AWS_SESSION_TOKEN": "TK"]
        ).current()
        #expect(credentials == S3Credentials(accessKey: "AK", secretKey: "SK", sessionToken: "TK"))
        let withoutToken = try await provider(.environment, ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"])
            .current()
        #expect(withoutToken.sessionToken == nil)
        await #expect(throws: CoreStoreError(.objectStoreRejected)) {
            _ = try await provider(.environment, ["AWS_ACCESS_KEY_ID": "AK"]).current()
        }
    }

    @Test("automatic: the environment's keys when AWS_ACCESS_KEY_ID is set (the nodes' default without keys)")
    func automaticReadsTheEnvironmentWhenSet() async throws {
        let credentials = try await provider(.automatic, ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"])
            .current()
        #expect(credentials == S3Credentials(accessKey: "AK", secretKey: "SK"))
        await #expect(
            throws: CoreStoreError(.objectStoreRejected), "set but without its secret: the environment's error"
        ) {
            _ = try await provider(.automatic, ["AWS_ACCESS_KEY_ID": "AK"]).current()
        }
    }

    @Test func staticCredentials() async throws {
        let credentials = try await provider(.static(accessKey: "A", secretKey: "S")).current()
        #expect(credentials == S3Credentials(accessKey: "A", secretKey: "S"))
    }

    @Test func unreachableInstanceMetadataIsUnavailable() async throws {
        let closed = "http://127.0.0.1:1"
        await #expect(throws: CoreStoreError(.objectStoreUnavailable)) {
            _ = try await provider(.instanceMetadata(endpoint: closed)).current()
        }
    }
}
