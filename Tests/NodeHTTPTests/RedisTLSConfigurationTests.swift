import CoreStore
import Logging
import NIOSSL
import TestSupport
import Testing

@testable import NodeHTTP

/// The pool a Redis client needs (never used by these tests; a pool lives as long as the process).
private let testPool = BlockingPool(threads: 1)

/// How `redisUrl` and the `redisTls*` keys become the Redis client's TLS settings, and which
/// combinations stop the node (exit 2) naming the key.
@Suite("configuration: Redis over TLS (rediss://, CA file, client certificate)")
struct RedisTLSConfigurationTests {
    private func configuration(_ arguments: [String]) async throws -> NodeConfiguration {
        let reader = try await NodeConfiguration.reader(arguments: ["download-node"] + arguments, environment: [:])
        return NodeConfiguration(role: .download, config: reader)
    }

    private func refusal(_ arguments: [String]) async throws -> ConfigurationError? {
        let settings = try await configuration(arguments)
        do {
            _ = try settings.redis.tlsConfiguration()
            return nil
        } catch {
            return error
        }
    }

    @Test("the keys are read from flags and the environment")
    func keysRead() async throws {
        let reader = try await NodeConfiguration.reader(
            arguments: ["upload-node", "--redis-tls-ca-file", "/etc/ca.pem"],
            environment: [
                "UDS_REDIS_URL": "rediss://cache:6380", "UDS_REDIS_TLS_CERTIFICATE_FILE": "/etc/c.pem",
                "UDS_REDIS_TLS_KEY_FILE": "/etc/k.pem",
            ])
        let settings = NodeConfiguration(role: .upload, config: reader)
        #expect(settings.redis.url == "rediss://cache:6380")
        #expect(settings.redis.tlsCAFile == "/etc/ca.pem")
        #expect(settings.redis.tlsCertificateFile == "/etc/c.pem")
        #expect(settings.redis.tlsKeyFile == "/etc/k.pem")
    }

    @Test("redis:// has no TLS settings; rediss:// alone trusts the system store with TLS 1.2 or later")
    func defaults() async throws {
        #expect(try await configuration(["--redis-url", "redis://127.0.0.1:6379"]).redis.tlsConfiguration() == nil)
        let tls = try await configuration(["--redis-url", "rediss://cache.example.com:6379"]).redis.tlsConfiguration()
        #expect(tls?.minimumTLSVersion == .tlsv12)
        #expect(tls?.certificateVerification == .fullVerification)
        #expect(tls?.trustRoots == .default)
    }

    @Test("a TLS file without a rediss:// URL stops the node naming the key")
    func tlsFileNeedsRediss() async throws {
        let plain = try await refusal(["--redis-url", "redis://127.0.0.1:6379", "--redis-tls-ca-file", "/x.pem"])
        #expect(plain?.key == "redisTlsCaFile")
        let none = try await refusal(["--redis-tls-key-file", "/k.pem"])
        #expect(none?.key == "redisTlsKeyFile")
    }

    @Test(
        "unusable TLS files stop the node naming the key",
        .enabled(if: TestCertificates.isAvailable, "needs openssl on PATH to make certificates"))
    func unusableFiles() async throws {
        let pki = try await TestCertificates.make()
        let url = ["--redis-url", "rediss://127.0.0.1:6380"]
        #expect(
            try await refusal(url + ["--redis-tls-ca-file", pki.directory + "/missing.pem"])?.key == "redisTlsCaFile")
        #expect(try await refusal(url + ["--redis-tls-ca-file", pki.directory + "/ca.cnf"])?.key == "redisTlsCaFile")
        #expect(
            try await refusal(url + ["--redis-tls-certificate-file", pki.clientCertificateFile])?.key
                == "redisTlsKeyFile")
        #expect(try await refusal(url + ["--redis-tls-key-file", pki.clientKeyFile])?.key == "redisTlsCertificateFile")
        let mismatched = try await refusal(
            url + [
                "--redis-tls-certificate-file", pki.clientCertificateFile, "--redis-tls-key-file", pki.serverKeyFile,
            ])
        #expect(mismatched?.key == "redisTlsKeyFile")

        let good = try await configuration(
            url + [
                "--redis-tls-ca-file", pki.caFile, "--redis-tls-certificate-file", pki.clientCertificateFile,
                "--redis-tls-key-file", pki.clientKeyFile,
            ]
        ).redis.tlsConfiguration()
        #expect(good?.certificateChain.count == 1)
        #expect(good?.privateKey != nil)
        #expect(good?.trustRoots == .certificates(try NIOSSLCertificate.fromPEMFile(pki.caFile)))
    }

    @Test("an unparsable redisUrl stops the node naming the key, without echoing a password")
    func badURL() async throws {
        let settings = try await configuration(["--redis-url", "rediss://:s3cret@host:99999"])
        do {
            _ = try NodeBackends.makeRedisClient(
                configuration: settings.redis, pool: testPool, logger: Logger(label: "test"))
            Issue.record("the URL was accepted")
        } catch {
            #expect(error.key == "redisUrl")
            #expect(!error.description.contains("s3cret"))
        }
    }

    @Test("the strict check accepts the new keys in all three spellings")
    func strictKeys() throws {
        try StrictConfiguration.validate(
            arguments: ["upload-node", "--redis-tls-ca-file", "/a", "--redis-tls-certificate-file", "/b"],
            environment: ["UDS_REDIS_TLS_KEY_FILE": "/c"])
    }
}
