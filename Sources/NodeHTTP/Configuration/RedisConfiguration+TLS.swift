import NIOSSL

extension RedisConfiguration {
    /// The TLS settings of a `rediss://` `redisUrl`: TLS 1.2 or later, the server certificate
    /// verified against `redisTlsCaFile` (else the system trust store) and the URL's host name,
    /// and the client certificate and key if both are given. `nil` for a `redis://` URL.
    /// - Throws: ``ConfigurationError`` naming the key: a TLS file with a plain URL (or none), a
    ///   certificate without its key (or the reverse), a file that cannot be read as PEM, a key
    ///   that does not match its certificate.
    func tlsConfiguration() throws(ConfigurationError) -> TLSConfiguration? {
        let files = [
            ("redisTlsCaFile", tlsCAFile), ("redisTlsCertificateFile", tlsCertificateFile),
            ("redisTlsKeyFile", tlsKeyFile),
        ]
        guard let url, url.hasPrefix("rediss://") else {
            if let (key, _) = files.first(where: { $0.1 != nil }) {
                throw ConfigurationError(key: key, message: "needs a rediss:// redisUrl")
            }
            return nil
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        if let path = tlsCAFile {
            tls.trustRoots = .certificates(try Self.certificates(at: path, key: "redisTlsCaFile"))
        }
        switch (tlsCertificateFile, tlsKeyFile) {
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
