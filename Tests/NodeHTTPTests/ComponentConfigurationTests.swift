import Configuration
import CoreStore
import Testing

@testable import NodeHTTP

/// Each component read on its own from an in-memory provider: its keys, its defaults and the
/// floors it raises values to.
@Suite("configuration: each component from an in-memory provider")
struct ComponentConfigurationTests {
    @Test("upload-node keys, with part sizes raised to 5 MiB and negative counts to 0")
    func upload() {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "multipartPartBytes": 1024, "resumablePartBytes": 6_000_000, "sweepIntervalSeconds": 0.01,
                "userQuotaBytes": 10_000, "userQuotaFiles": -3, "maxConcurrentUploadsPerUser": -1,
                "uploadMinBytesPerSecond": 1,
            ]))
        let upload = UploadConfiguration(config: config)
        #expect(upload.multipartPartBytes == 5 * 1024 * 1024)
        #expect(upload.resumablePartBytes == 6_000_000)
        #expect(upload.sweepIntervalSeconds == 0.1)
        #expect(upload.userQuota == StorageQuota(maxBytes: 10_000, maxFiles: 0))
        #expect(upload.maxConcurrentUploadsPerUser == 0)
        #expect(upload.minBytesPerSecond == 1)
        #expect(upload.multipartThresholdBytes == UploadConfiguration().multipartThresholdBytes, "default kept")
    }

    @Test("download-node keys, with the link lifetime at least 1 s")
    func download() {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "cacheCapacityBytes": 4096, "fetchParallelism": 2, "linkBaseUrl": " https://files.example ",
                "linkMaxExpirySeconds": 0,
            ]))
        let download = DownloadConfiguration(config: config)
        #expect(download.cacheCapacityBytes == 4096)
        #expect(download.fetchParallelism == 2)
        #expect(download.linkBaseURL == "https://files.example", "trimmed")
        #expect(download.linkMaxExpirySeconds == 1)
        #expect(download.linkKeysFile == nil)
        #expect(download.maxConcurrentFills == DownloadConfiguration().maxConcurrentFills, "default kept")
    }

    @Test("auth keys through a reader scoped to auth")
    func auth() {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "auth.issuer": "https://issuer.example", "auth.clientIds": "web, ios",
                "auth.hs256.secret": ConfigValue("s3cret", isSecret: true), "issuer": "not-this-one",
            ]))
        let auth = AuthConfiguration(config: config.scoped(to: "auth"))
        #expect(auth.issuer == "https://issuer.example")
        #expect(auth.clientIDs == ["web", "ios"])
        #expect(auth.hs256Secret == "s3cret")
        #expect(auth.userClaim == "sub")
        #expect(auth.jwksURL == nil)
        #expect(auth.requiredTokenUse == nil, "HS256 mode requires no token_use")
    }

    @Test("a jwksUrl selects JWKS mode, which requires access tokens; leeway and refresh keep their defaults")
    func authJWKS() {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "auth.jwksUrl": "https://cognito.example/.well-known/jwks.json", "auth.userClaim": "username",
            ]))
        let auth = AuthConfiguration(config: config.scoped(to: "auth"))
        #expect(auth.jwksURL == "https://cognito.example/.well-known/jwks.json")
        #expect(auth.requiredTokenUse == AuthConfiguration.defaultJWKSTokenUse)
        #expect(auth.userClaim == "username")
        #expect(auth.hs256Secret == nil)
        #expect(auth.leeway == AuthConfiguration().leeway)
        #expect(auth.jwksRefreshInterval == AuthConfiguration().jwksRefreshInterval)
    }

    @Test("Redis keys at the top level; blank values are no value")
    func redis() {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "redisUrl": ConfigValue("rediss://cache:6380", isSecret: true), "redisTlsCaFile": "/etc/ca.pem",
                "redisTlsKeyFile": " ", "redis.url": "redis://not-this-one",
            ]))
        let redis = RedisConfiguration(config: config)
        #expect(redis.url == "rediss://cache:6380")
        #expect(redis.tlsCAFile == "/etc/ca.pem")
        #expect(redis.tlsCertificateFile == nil)
        #expect(redis.tlsKeyFile == nil, "blank")
        #expect(RedisConfiguration(config: ConfigReader(provider: InMemoryProvider(values: [:]))).url == nil)
    }

    @Test("metadata keys at the top level, with the pool at least 1 connection")
    func metadata() {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "metadataUrls": ConfigValue("postgres://a@h1/d1, postgres://b@h2/d2", isSecret: true),
                "metadataPoolSize": 0, "metadataQueryTimeoutSeconds": 2.5, "metadataSqlitePath": "/var/m.sqlite3",
            ]))
        let metadata = MetadataConfiguration(config: config)
        #expect(metadata.urls == ["postgres://a@h1/d1", "postgres://b@h2/d2"])
        #expect(metadata.poolSize == 1)
        #expect(metadata.queryTimeoutSeconds == 2.5)
        #expect(metadata.sqlitePath == "/var/m.sqlite3")
        #expect(metadata.passwordFile == nil)
        #expect(metadata.connectTimeoutSeconds == MetadataConfiguration().connectTimeoutSeconds, "default kept")
        #expect(metadata.migrationTimeoutSeconds == MetadataConfiguration().migrationTimeoutSeconds, "default kept")
    }

    @Test("HTTPS only with both the certificate and the key")
    func serverTLS() {
        let both = ServerTLSConfiguration(
            config: ConfigReader(
                provider: InMemoryProvider(values: ["tlsCertificatePath": "/etc/c.pem", "tlsKeyPath": "/etc/k.pem"])))
        #expect(both.certificatePath == "/etc/c.pem")
        #expect(both.keyPath == "/etc/k.pem")
        #expect(both.isEnabled)
        let certificateOnly = ServerTLSConfiguration(
            config: ConfigReader(provider: InMemoryProvider(values: ["tlsCertificatePath": "/etc/c.pem"])))
        #expect(!certificateOnly.isEnabled)
        #expect(!ServerTLSConfiguration().isEnabled)
    }

    @Test("s3 keys through a reader scoped to s3; virtual addressing")
    func s3() throws {
        let config = ConfigReader(
            provider: InMemoryProvider(values: [
                "s3.endpoint": "https://s3.eu-west-1.amazonaws.com", "s3.region": "eu-west-1",
                "s3.addressingStyle": "virtual", "s3.createBucket": true, "endpoint": "http://not-this-one",
            ]))
        let s3 = try #require(S3Configuration(config: config.scoped(to: "s3")))
        #expect(s3.endpoint == "https://s3.eu-west-1.amazonaws.com")
        #expect(s3.region == "eu-west-1")
        #expect(s3.addressingStyle == .virtualHost)
        #expect(s3.createBucket)
        #expect(s3.bucket == "uploads")
    }
}
