/// Which shard owns a user: jump consistent hash of XXH3-64 of the user id's UTF-8 bytes.
///
/// Bytes, never `String` equality: two canonically equivalent ids ("e\u{301}", "\u{e9}") are two
/// users and may live on different shards. The mapping depends only on the id and the number of
/// shards, so every node that lists the same shard URLs in the same order agrees on it.
public struct UserShardMap: Sendable, Equatable {
    /// The number of shards.
    public let shardCount: Int

    /// A map over `shardCount` shards.
    /// - Parameter shardCount: At least 1.
    public init(shardCount: Int) {
        precondition(shardCount > 0, "a shard map needs at least one shard")
        self.shardCount = shardCount
    }

    /// The index (in configuration order) of the shard holding `userID`'s rows.
    /// - Parameter userID: The user.
    public func shard(for userID: UserID) -> Int {
        JumpConsistentHash.bucket(for: Self.key(for: userID), buckets: shardCount)
    }

    /// The 64-bit key hashed onto shards: XXH3-64 (seed 0) of the id's UTF-8 bytes.
    /// - Parameter userID: The user.
    public static func key(for userID: UserID) -> UInt64 {
        XXH3.hash64(Array(userID.rawValue.utf8))
    }
}
