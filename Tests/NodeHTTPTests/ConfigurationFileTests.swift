import CoreStore
import Foundation
import TestSupport
import Testing

@testable import NodeHTTP

/// The JSON-file layer of the configuration (docs/configuration.md): the file named by
/// `--config-file` or `UDS_CONFIG_FILE`, nested objects for dotted keys, the lowest precedence but
/// the defaults, and a file that is not a JSON object refused naming `configFile`.
@Suite("configuration: the JSON file (--config-file, UDS_CONFIG_FILE)")
struct ConfigurationFileTests {
    /// Writes `text` to a fresh file under this test process's folder.
    private func file(_ text: String) throws -> String {
        let path = IntegrationEnvironment.temporaryDirectory("config-file") + "/node.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func configuration(
        _ arguments: [String], _ environment: [String: String] = [:], role: NodeConfiguration.Role = .download
    ) async throws -> NodeConfiguration {
        let reader = try await NodeConfiguration.reader(
            arguments: [role.rawValue] + arguments, environment: environment)
        return NodeConfiguration(role: role, config: reader)
    }

    /// The documented example file plus one key of each component.
    private static let example = """
        {
          "port": 18105,
          "dataDir": "/tmp/udsdoc/S",
          "logLevel": "warning",
          "redisUrl": "redis://127.0.0.1:18211",
          "maxUploadBytes": 1048576,
          "trustedProxies": "10.0.0.1, 10.0.0.2",
          "metadataPoolSize": 3,
          "multipartPartBytes": 10485760,
          "cacheCapacityBytes": 1000000,
          "s3": {
            "endpoint": "http://127.0.0.1:18207",
            "bucket": "doc-bucket",
            "accessKey": "docAccessKey",
            "secretKey": "docSecretKey12345",
            "addressingStyle": "virtual",
            "createBucket": true,
            "maxConcurrentRequests": 8
          },
          "auth": { "userClaim": "uid", "clientIds": "web,ios", "hs256": { "secret": "file-secret" } }
        }
        """

    @Test("--config-file: top-level keys, the s3 and auth objects and each component's keys are read")
    func keysRead() async throws {
        let configuration = try await configuration(["--config-file", try file(Self.example)])
        #expect(configuration.port == 18105)
        #expect(configuration.dataDirectory == "/tmp/udsdoc/S")
        #expect(configuration.logLevel == "warning")
        #expect(configuration.redis.url == "redis://127.0.0.1:18211")
        #expect(configuration.maxUploadBytes == 1_048_576)
        #expect(configuration.trustedProxies == ["10.0.0.1", "10.0.0.2"])
        #expect(configuration.metadata.poolSize == 3)
        #expect(configuration.upload.multipartPartBytes == 10_485_760)
        #expect(configuration.download.cacheCapacityBytes == 1_000_000)
        let s3 = try #require(configuration.s3)
        #expect(s3.endpoint == "http://127.0.0.1:18207")
        #expect(s3.bucket == "doc-bucket")
        #expect(s3.region == "us-east-1", "a key the file leaves out keeps its default")
        #expect(s3.addressingStyle == .virtualHost)
        #expect(s3.createBucket)
        #expect(s3.maxConcurrentRequests == 8)
        guard case .static(let accessKey, let secretKey, let sessionToken) = s3.credentials else {
            Issue.record("both keys in the file give static credentials, got \(s3.credentials)")
            return
        }
        #expect(accessKey == "docAccessKey" && secretKey == "docSecretKey12345" && sessionToken == nil)
        #expect(configuration.auth.userClaim == "uid")
        #expect(configuration.auth.clientIDs == ["web", "ios"])
        #expect(configuration.auth.hs256Secret == "file-secret")
    }

    @Test("UDS_CONFIG_FILE names the file as --config-file does")
    func environmentNamesFile() async throws {
        let configuration = try await configuration([], ["UDS_CONFIG_FILE": try file(Self.example)])
        #expect(configuration.port == 18105)
        #expect(configuration.s3?.bucket == "doc-bucket")
    }

    @Test("without a file name no file is read: the defaults apply")
    func noFile() async throws {
        let configuration = try await configuration([])
        #expect(configuration.port == 8002)
        #expect(configuration.s3 == nil)
    }

    @Test("precedence key by key: the environment overrides the file, a flag overrides both")
    func precedence() async throws {
        let path = try file(Self.example)
        let environment = ["UDS_PORT": "18106", "UDS_S3_BUCKET": "env-bucket"]
        let fromEnvironment = try await configuration(["--config-file", path], environment)
        #expect(fromEnvironment.port == 18106)
        #expect(fromEnvironment.s3?.bucket == "env-bucket")
        #expect(fromEnvironment.s3?.endpoint == "http://127.0.0.1:18207", "the file still supplies the other keys")
        #expect(fromEnvironment.logLevel == "warning")
        let fromFlag = try await configuration(["--config-file", path, "--port", "18108"], environment)
        #expect(fromFlag.port == 18108)
        #expect(fromFlag.s3?.bucket == "env-bucket")
    }

    @Test(
        "a file that is not a JSON object, or is missing, is refused naming configFile",
        arguments: [
            "{\"port\": 18105,", "[1, 2]", "port = 18105",
        ])
    func malformed(text: String) async throws {
        let path = try file(text)
        #expect(throws: ConfigurationError(key: "configFile", message: "\(path) is not a readable JSON object")) {
            try StrictConfiguration.validate(arguments: ["download-node", "--config-file", path], environment: [:])
        }
        #expect(throws: ConfigurationError(key: "configFile", message: "\(path) is not a readable JSON object")) {
            try StrictConfiguration.validate(arguments: ["download-node"], environment: ["UDS_CONFIG_FILE": path])
        }
        await #expect(throws: (any Error).self, "the reader does not fall back to the defaults either") {
            _ = try await NodeConfiguration.reader(
                arguments: ["download-node", "--config-file", path], environment: [:])
        }
    }

    @Test("a missing file is refused naming configFile")
    func missing() async throws {
        let path = IntegrationEnvironment.temporaryDirectory("config-file") + "/absent.json"
        #expect(throws: ConfigurationError(key: "configFile", message: "\(path) is not a readable JSON object")) {
            try StrictConfiguration.validate(arguments: ["download-node", "--config-file", path], environment: [:])
        }
        await #expect(throws: (any Error).self) {
            _ = try await NodeConfiguration.reader(
                arguments: ["download-node", "--config-file", path], environment: [:])
        }
    }
}
