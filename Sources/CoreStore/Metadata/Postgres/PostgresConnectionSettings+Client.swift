public import NIOSSL
public import PostgresNIO

extension PostgresConnectionSettings {
    /// The NIOSSL client configuration of ``tlsMode``; `nil` for `disable`.
    /// - Throws: ``PostgresURLError`` when `sslrootcert` cannot be read as PEM certificates.
    public func tlsConfiguration() throws(PostgresURLError) -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable:
            return nil
        case .prefer, .require:
            tls.certificateVerification = .none
            return tls
        case .verifyCA, .verifyFull:
            tls.certificateVerification = tlsMode == .verifyFull ? .fullVerification : .noHostnameVerification
            if let path = rootCertificatePath {
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
                } catch {
                    throw PostgresURLError("sslrootcert \(path) is not a readable PEM certificate file (\(label))")
                }
            }
            return tls
        }
    }

    /// The postgres-nio client configuration: address, credentials, TLS, pool size, connect
    /// timeout, and the query timeout as the server's `statement_timeout`.
    /// - Parameter options: Pool size and timeouts.
    /// - Throws: ``PostgresURLError`` when the TLS material cannot be loaded.
    public func clientConfiguration(options: PostgresPoolOptions) throws(PostgresURLError)
        -> PostgresClient.Configuration
    {
        let tls: PostgresClient.Configuration.TLS =
            switch (tlsMode, try tlsConfiguration()) {
            case (.prefer, let configuration?): .prefer(configuration)
            case (_, let configuration?): .require(configuration)
            case (_, nil): .disable
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = max(1, options.maximumConnections)
        configuration.options.connectTimeout = options.connectTimeout
        let (seconds, attoseconds) = options.queryTimeout.components
        let milliseconds = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", String(milliseconds)), ("application_name", "upload-download-service"),
        ]
        return configuration
    }
}
