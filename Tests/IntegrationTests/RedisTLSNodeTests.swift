import CoreStore
import Foundation
import Logging
import NIOCore
import NIOSSL
import TestSupport
import Testing

/// The observer clients' pool (a pool must be shut down before it is freed, so it lives as long as the process).
private let observerPool = BlockingPool(threads: 1)

/// The real binaries with `--redis-url rediss://…`: the blob really crosses TLS into Redis, and a
/// Redis the node cannot trust leaves it serving (Redis is optional).
@Suite(
    "nodes with Redis over TLS (real binaries, redis-server --tls-port)",
    .enabled(
        if: RedisServer.isTLSAvailable, "needs redis-server and openssl on PATH (REQUIRE_INTEGRATION=1 fails instead)"))
struct RedisTLSNodeTests {
    /// An observer client with the CA and the client certificate, to look into the server.
    private func observer(_ server: RedisServer, _ pki: TestCertificates) throws -> RedisClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pki.caFile))
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(pki.clientCertificateFile).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: pki.clientKeyFile, format: .pem))
        return try RedisClient(
            configuration: .init(url: server.url, tls: tls), blockingPool: observerPool,
            logger: Logger(label: "test.redis-tls-node"))
    }

    private func blobKeys(_ redis: RedisClient) async throws -> [String] {
        guard case .array(let keys) = try await redis.execute("KEYS", "uds:blob:*") else { return [] }
        return keys.compactMap { $0.bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test("upload → the blob is in Redis over TLS (client certificate required) → the download is a Redis hit")
    func uploadAndDownloadThroughTLSRedis() async throws {
        let pki = try await TestCertificates.make()
        let server = try await RedisServer.start(tls: .init(certificates: pki, requireClientCertificate: true))
        defer { server.process.kill() }
        let directory = IntegrationEnvironment.temporaryDirectory("redis-tls-node")
        let arguments = [
            "--data-dir", directory, "--log-level", "warning", "--redis-url", server.url,
            "--redis-tls-ca-file", pki.caFile, "--redis-tls-certificate-file", pki.clientCertificateFile,
            "--redis-tls-key-file", pki.clientKeyFile,
        ]
        let upload = try await NodeProcess.start("upload-node", arguments: arguments)
        defer { upload.process.terminate() }
        let download = try await NodeProcess.start("download-node", arguments: arguments)
        defer { download.process.terminate() }
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: directory)

        let bytes = MultipartBody.randomBytes(300_000, seed: 41)
        try await RawTransfer.put(bytes, name: "tls.bin", in: directory, token: token, to: upload.baseURL)

        let redis = try observer(server, pki)
        let keys = try await blobKeys(redis)
        #expect(keys.count == 1, "the upload node pushed the object into Redis over TLS: \(keys)")
        if let key = keys.first {
            #expect(try await redis.get(key).map { Array($0.readableBytesView) } == bytes)
        }

        try await RawTransfer.read(bytes, name: "tls.bin", in: directory, token: token, from: download.baseURL)
        let metrics = try await CurlCommand.run(["\(download.baseURL)/metrics"]).body
        #expect(
            metrics.contains(#"uds_cache_requests_total{tier="redis",result="hit"} 1"#)
                || metrics.contains(#"uds_cache_requests_total{result="hit",tier="redis"} 1"#),
            "the download was served from Redis")
        let ready = try await CurlCommand.run(["\(download.baseURL)/readyz"])
        #expect(ready.body.contains("\"redis\":\"ok\""), "\(ready.body)")
    }

    @Test(
        "a Redis whose certificate the node does not trust: uploads and downloads still succeed, readyz says redis down"
    )
    func untrustedRedisIsBypassed() async throws {
        let pki = try await TestCertificates.make()
        let server = try await RedisServer.start(tls: .init(certificates: pki))
        defer { server.process.kill() }
        let directory = IntegrationEnvironment.temporaryDirectory("redis-tls-wrong-ca")
        let arguments = [
            "--data-dir", directory, "--log-level", "error", "--redis-url", server.url,
            "--redis-tls-ca-file", pki.otherCAFile,
        ]
        let upload = try await NodeProcess.start("upload-node", arguments: arguments)
        defer { upload.process.terminate() }
        let download = try await NodeProcess.start("download-node", arguments: arguments)
        defer { download.process.terminate() }
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: directory)
        let bytes = MultipartBody.randomBytes(200_000, seed: 43)
        try await RawTransfer.put(bytes, name: "u.bin", in: directory, token: token, to: upload.baseURL)
        try await RawTransfer.read(bytes, name: "u.bin", in: directory, token: token, from: download.baseURL)
        let ready = try await CurlCommand.run(["\(download.baseURL)/readyz"])
        #expect(ready.status == 200)
        #expect(ready.body.contains("\"redis\":\"down\""), "\(ready.body)")
        #expect(try await blobKeys(observer(server, pki)).isEmpty, "nothing reached the untrusted server")
    }

    @Test("a TLS file with a plain redis:// URL stops the node with exit 2", .timeLimit(.minutes(1)))
    func tlsFileWithPlainURL() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("redis-tls-plain")
        let (status, _) = try await ChildProcess.run(
            NodeProcess.binDirectory + "/download-node",
            [
                "--data-dir", directory, "--port", String(FreePort.next()), "--redis-url", "redis://127.0.0.1:1",
                "--redis-tls-ca-file", directory + "/ca.pem",
            ])
        #expect(status == 2)
    }
}
