/// Per-shard connection pool and timeout settings of a node.
public struct PostgresPoolOptions: Sendable, Equatable {
    /// Most connections this node opens to one shard.
    public var maximumConnections: Int = 10
    /// How long opening a TCP (and TLS) connection may take.
    public var connectTimeout: Duration = .seconds(5)
    /// How long one store call may take, waiting for a pooled connection included; also the
    /// server-side `statement_timeout`. A call over it fails with `.metadataUnavailable`.
    public var queryTimeout: Duration = .seconds(10)

    /// Defaults: 10 connections, 5 s connect timeout, 10 s query timeout.
    public init() {}
}
