/// The Redis connection of a node (`redisUrl` and the `redisTls*` keys): caches, the fleet-wide
/// request rate. No URL runs the node without Redis.
public struct RedisConfiguration: Sendable {
    /// Redis URL; `nil` runs without Redis (`--redis-url`). `rediss://` speaks TLS.
    public var url: String?
    /// PEM file of the CA certificates a `rediss://` server must chain to (`--redis-tls-ca-file`);
    /// `nil` trusts the system store.
    public var tlsCAFile: String?
    /// PEM client certificate presented to a `rediss://` server (`--redis-tls-certificate-file`).
    public var tlsCertificateFile: String?
    /// PEM private key of ``tlsCertificateFile`` (`--redis-tls-key-file`).
    public var tlsKeyFile: String?

    /// Defaults: no Redis.
    public init() {}
}
