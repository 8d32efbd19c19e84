public import Configuration

extension ServerTLSConfiguration {
    /// Reads `tlsCertificatePath` and `tlsKeyPath`; missing keys leave TLS off.
    ///
    /// The keys sit at the top level, as docs/configuration.md lists them, so this reads the
    /// unscoped reader. The files are read when the server is built.
    /// - Parameter config: The node's reader.
    public init(config: ConfigReader) {
        self.init()
        certificatePath = config.string(forKey: "tlsCertificatePath").nonEmpty
        keyPath = config.string(forKey: "tlsKeyPath").nonEmpty
    }
}
