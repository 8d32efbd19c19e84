import CoreStore
import Logging
import NIOSSL

extension NodeBackends {
    /// The Redis client of `redisUrl` (`nil` without one), with the TLS files of a `rediss://`
    /// URL loaded: a bad URL or an unusable file stops the node with an error naming the key.
    /// - Throws: ``ConfigurationError``.
    static func makeRedisClient(
        configuration: NodeConfiguration, pool: BlockingPool, logger: Logger
    ) throws(ConfigurationError) -> RedisClient? {
        let tls = try configuration.redisTLSConfiguration()
        guard let url = configuration.redisURL else { return nil }
        do {
            var settings = RedisClient.Configuration(url: url, tls: tls)
            // A TLS connection costs a handshake: keep every one the node may open instead of
            // closing all but 8 after a burst and paying the handshakes again on the next.
            if tls != nil { settings.maxIdleConnections = settings.maxConnections }
            return try RedisClient(configuration: settings, blockingPool: pool, logger: logger)
        } catch {
            throw ConfigurationError(key: "redisUrl", message: error.message)
        }
    }
}

extension NodeConfiguration {
    /// The TLS settings of a `rediss://` `redisUrl`: TLS 1.2 or later, the server certificate
    /// verified against `redisTlsCaFile` (else the system trust store) and the URL's host name,
    /// and the client certificate and key if both are given. `nil` for a `redis://` URL.
    /// - Throws: ``ConfigurationError`` naming the key: a TLS file with a plain URL (or none), a
    ///   certificate without its key (or the reverse), a file that cannot be read as PEM, a key
    ///   that does not match its certificate.
    func redisTLSConfiguration() throws(ConfigurationError) -> TLSConfiguration? {
        let files = [
            ("redisTlsCaFile", redisTLSCAFile), ("redisTlsCertificateFile", redisTLSCertificateFile),
            ("redisTlsKeyFile", redisTLSKeyFile),
        ]
        guard let url = redisURL, url.hasPrefix("rediss://") else {
            if let (key, _) = files.first(where: { $0.1 != nil }) {
                throw ConfigurationError(key: key, message: "needs a rediss:// redisUrl")
            }
            return nil
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        if let path = redisTLSCAFile {
            tls.trustRoots = .certificates(try Self.certificates(at: path, key: "redisTlsCaFile"))
        }
        switch (redisTLSCertificateFile, redisTLSKeyFile) {
        case (nil, nil):
            break
        case (let certificatePath?, let keyPath?):
            tls.certificateChain = try Self.certificates(at: certificatePath, key: "redisTlsCertificateFile")
                .map { .certificate($0) }
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
            } catch {
                throw ConfigurationError(
                    key: "redisTlsKeyFile", message: "cannot read a PEM private key from \(keyPath)")
            }
            do {
                _ = try NIOSSLContext(configuration: tls)
            } catch {
                throw ConfigurationError(
                    key: "redisTlsKeyFile", message: "\(keyPath) does not match redisTlsCertificateFile (\(error))")
            }
        case (nil, _?):
            throw ConfigurationError(key: "redisTlsCertificateFile", message: "needed with redisTlsKeyFile")
        case (_?, nil):
            throw ConfigurationError(key: "redisTlsKeyFile", message: "needed with redisTlsCertificateFile")
        }
        return tls
    }

    private static func certificates(at path: String, key: String) throws(ConfigurationError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw ConfigurationError(key: key, message: "cannot read PEM certificates from \(path)")
        }
        guard !certificates.isEmpty else { throw ConfigurationError(key: key, message: "no certificate in \(path)") }
        return certificates
    }
}
