/// The reachability of one shard, for readiness reports.
public struct MetadataShardStatus: Sendable, Equatable {
    /// The shard's position in the configured URL list.
    public var index: Int
    /// Where it is (host, port and database; never a password).
    public var label: String
    /// `nil` when reachable, else why not.
    public var error: CoreStoreError?

    /// Creates a status.
    public init(index: Int, label: String, error: CoreStoreError?) {
        self.index = index
        self.label = label
        self.error = error
    }
}

/// A metadata store made of shards that can report each one's reachability.
public protocol MetadataShardReporting: MetadataStore {
    /// Checks every shard at once.
    func shardStatuses() async -> [MetadataShardStatus]
}
