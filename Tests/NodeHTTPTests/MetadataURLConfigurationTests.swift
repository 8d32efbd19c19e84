import CoreStore
import Foundation
import Logging
import TestSupport
import Testing

@testable import NodeHTTP

@Suite("MetadataURL configuration: metadataUrls and friends")
struct MetadataURLConfigurationTests {
    @Test("defaults: no URLs (SQLite), pool 10, connect 5 s, query 10 s")
    func defaults() async throws {
        let configuration = NodeConfiguration(
            role: .upload, config: try await NodeConfiguration.reader(arguments: ["upload-node"], environment: [:]))
        #expect(configuration.metadata.urls.isEmpty)
        #expect(configuration.metadata.passwordFile == nil)
        #expect(configuration.metadata.poolSize == 10)
        #expect(configuration.metadata.connectTimeoutSeconds == 5)
        #expect(configuration.metadata.queryTimeoutSeconds == 10)
        #expect(configuration.metadata.migrationTimeoutSeconds == 300)
    }

    @Test("environment and flags, flags winning; URLs comma separated")
    func precedence() async throws {
        let environment = [
            "UDS_METADATA_URLS": "postgres://a@h1/d1, postgresql://b@h2/d2", "UDS_METADATA_POOL_SIZE": "3",
            "UDS_METADATA_PASSWORD_FILE": "/run/secrets/pg", "UDS_METADATA_QUERY_TIMEOUT_SECONDS": "2.5",
        ]
        let reader = try await NodeConfiguration.reader(
            arguments: ["download-node", "--metadata-pool-size", "7", "--metadata-connect-timeout-seconds", "1"],
            environment: environment)
        let configuration = NodeConfiguration(role: .download, config: reader)
        #expect(configuration.metadata.urls == ["postgres://a@h1/d1", "postgresql://b@h2/d2"])
        #expect(configuration.metadata.poolSize == 7)
        #expect(configuration.metadata.passwordFile == "/run/secrets/pg")
        #expect(configuration.metadata.connectTimeoutSeconds == 1)
        #expect(configuration.metadata.queryTimeoutSeconds == 2.5)
    }

    @Test("a comma-separated list given as a flag, as --key=value, in the environment and in a JSON file")
    func listSpellings() async throws {
        let urls = ["postgres://a@h1/d1?sslmode=disable", "postgres://b@h2/d2"]
        let joined = urls.joined(separator: ",")
        for arguments in [["upload-node", "--metadata-urls", joined], ["upload-node", "--metadata-urls=\(joined)"]] {
            let reader = try await NodeConfiguration.reader(arguments: arguments, environment: [:])
            #expect(NodeConfiguration(role: .upload, config: reader).metadata.urls == urls, "\(arguments)")
        }
        let environment = try await NodeConfiguration.reader(
            arguments: ["upload-node"], environment: ["UDS_METADATA_URLS": joined])
        #expect(NodeConfiguration(role: .upload, config: environment).metadata.urls == urls)
        let file = IntegrationEnvironment.processRoot + "/pg-config-\(UUID().uuidString).json"
        try "{\"metadataUrls\": \"\(joined)\"}".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let fromFile = try await NodeConfiguration.reader(
            arguments: ["upload-node", "--config-file", file], environment: [:])
        #expect(NodeConfiguration(role: .upload, config: fromFile).metadata.urls == urls)
        let single = try await NodeConfiguration.reader(
            arguments: ["upload-node", "--metadata-urls", urls[0]], environment: ["UDS_METADATA_URLS": joined])
        #expect(NodeConfiguration(role: .upload, config: single).metadata.urls == [urls[0]], "the flag wins")
    }

    @Test("the password file fills in passwords, trailing newline trimmed")
    func passwordFile() throws {
        let path = IntegrationEnvironment.processRoot + "/pg-password-\(UUID().uuidString)"
        try "s3cret word\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = NodeConfiguration(role: .upload)
        configuration.metadata.urls = ["postgres://a@h/d", "postgres://b:own@h/e"]
        configuration.metadata.passwordFile = path
        let shards = try NodeBackends.postgresShards(configuration: configuration.metadata)
        #expect(shards.map(\.password) == ["s3cret word", "own"])
    }

    @Test("an unreadable password file names its key")
    func missingPasswordFile() {
        var configuration = NodeConfiguration(role: .upload)
        configuration.metadata.urls = ["postgres://a@h/d"]
        configuration.metadata.passwordFile = "/nonexistent/pg-password"
        #expect(
            throws: ConfigurationError(key: "metadataPasswordFile", message: "cannot read /nonexistent/pg-password")
        ) {
            try NodeBackends.postgresShards(configuration: configuration.metadata)
        }
    }

    @Test("a bad URL stops start-up with the key named and the password hidden, before any connection")
    func badURL() async throws {
        var configuration = NodeConfiguration(role: .upload)
        configuration.dataDirectory = IntegrationEnvironment.processRoot + "/pg-config-\(UUID().uuidString)"
        configuration.metadata.urls = ["postgres://a:hunter2@h/d", "mysql://root:hunter2@h/d"]
        defer { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
        do {
            _ = try await NodeBackends.make(configuration: configuration, environment: [:], logger: Logger(label: "t"))
            Issue.record("a mysql:// URL was accepted")
        } catch let error as ConfigurationError {
            let text = "\(error)"
            #expect(text.hasPrefix("invalid configuration: metadataUrls (--metadata-urls, UDS_METADATA_URLS): URL 2:"))
            #expect(text.contains("unknown scheme 'mysql'"))
            #expect(!text.contains("hunter2"), "\(text)")
        }
    }

    @Test("key spellings in configuration errors")
    func spellings() {
        #expect(ConfigurationError.flag(for: "metadataPasswordFile") == "--metadata-password-file")
        #expect(
            ConfigurationError.environmentVariable(for: "s3.maxConcurrentRequests") == "UDS_S3_MAX_CONCURRENT_REQUESTS")
    }
}
