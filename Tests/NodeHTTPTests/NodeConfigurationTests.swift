import CoreStore
import Testing

@testable import NodeHTTP

@Suite("configuration: flags > UDS_* environment > defaults")
struct NodeConfigurationTests {
    @Test("defaults with no configuration")
    func defaults() async throws {
        let reader = try await NodeConfiguration.reader(arguments: ["upload-node"], environment: [:])
        let upload = NodeConfiguration(role: .upload, config: reader)
        let download = NodeConfiguration(role: .download, config: reader)
        #expect(upload.host == "127.0.0.1")
        #expect(upload.port == 8001)
        #expect(download.port == 8002)
        #expect(upload.dataDirectory == "./data")
        #expect(upload.maxUploadBytes == 5 * 1024 * 1024 * 1024)
        #expect(upload.s3 == nil)
        #expect(upload.redis.url == nil)
        #expect(upload.auth.jwksURL == nil)
        #expect(upload.resolvedSQLitePath == "./data/metadata.sqlite3")
        #expect(download.unsentLowWaterBytes == 256 * 1024)
        #expect(download.quietUnsentLowWaterBytes == 0, "no cap while quiet")
        #expect(download.busyConnections == 256)
        #expect(upload.unsentLowWaterBytes == 0 && upload.quietUnsentLowWaterBytes == 0, "no cap on upload-node")
    }

    @Test("environment overrides defaults; flags override the environment")
    func precedence() async throws {
        let environment = [
            "UDS_PORT": "9001", "UDS_DATA_DIR": "/tmp/env", "UDS_MAX_UPLOAD_BYTES": "1000",
            "UDS_S3_ENDPOINT": "http://127.0.0.1:8333", "UDS_S3_BUCKET": "b1",
            "UDS_REDIS_URL": "redis://127.0.0.1:6379",
            "UDS_AUTH_CLIENT_IDS": "a, b", "UDS_CORS_ALLOWED_ORIGINS": "https://app.example.com",
            "UDS_UNSENT_LOW_WATER_BYTES": "-5",
        ]
        let reader = try await NodeConfiguration.reader(
            arguments: ["upload-node", "--port", "9100", "--data-dir", "/tmp/flag", "--s3-region", "eu-west-1"],
            environment: environment)
        let configuration = NodeConfiguration(role: .upload, config: reader)
        #expect(configuration.port == 9100)
        #expect(configuration.dataDirectory == "/tmp/flag")
        #expect(configuration.maxUploadBytes == 1000)
        #expect(configuration.s3?.endpoint == "http://127.0.0.1:8333")
        #expect(configuration.s3?.bucket == "b1")
        #expect(configuration.s3?.region == "eu-west-1")
        #expect(configuration.redis.url == "redis://127.0.0.1:6379")
        #expect(configuration.auth.clientIDs == ["a", "b"])
        #expect(configuration.corsAllowedOrigins == ["https://app.example.com"])
        #expect(configuration.unsentLowWaterBytes == 0, "negative means the kernel's default, 0")
    }

    @Test("list keys given as flags keep every value (the command line splits a,b into two)")
    func listFlags() async throws {
        let reader = try await NodeConfiguration.reader(
            arguments: [
                "download-node", "--cors-allowed-origins", "https://a.example,https://b.example",
                "--trusted-proxies", "10.0.0.1,10.0.0.2", "--auth-client-ids", "web,ios",
            ],
            environment: [:])
        let configuration = NodeConfiguration(role: .download, config: reader)
        #expect(configuration.corsAllowedOrigins == ["https://a.example", "https://b.example"])
        #expect(configuration.trustedProxies == ["10.0.0.1", "10.0.0.2"])
        #expect(configuration.auth.clientIDs == ["web", "ios"])
    }
}
