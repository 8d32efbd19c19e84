/// The certificate and key the node serves HTTPS with (`tlsCertificatePath`, `tlsKeyPath`); with
/// either missing it serves plain HTTP.
public struct ServerTLSConfiguration: Sendable {
    /// PEM certificate (chain) path (`--tls-certificate-path`).
    public var certificatePath: String?
    /// PEM private key path (`--tls-key-path`).
    public var keyPath: String?

    /// Whether the node serves HTTPS (both paths set).
    public var isEnabled: Bool { certificatePath != nil && keyPath != nil }

    /// Defaults: plain HTTP.
    public init() {}
}
