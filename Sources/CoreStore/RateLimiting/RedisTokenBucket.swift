public import Foundation

/// A token bucket per user kept in Redis, shared by every node of the fleet.
///
/// One `EVAL` takes up to `want` tokens at once (a node leases a few and spends them locally, so a
/// user at full speed costs a node one Redis call per lease, not one per request). The script
/// refills by the time elapsed on the Redis server's clock (`TIME`), so node clocks do not matter.
/// State: the hash `uds:rate:<scope>:<percent-encoded user id>` (`tokens`, `ts`), expiring once it
/// would be full again; the scope keeps the upload and download daemons' budgets apart.
public struct RedisTokenBucket: Sendable {
    /// The key prefix of every bucket.
    public static let keyPrefix = "uds:rate:"

    private let client: RedisClient
    /// What the bucket limits (`upload`, `download`): one bucket per user and scope.
    public let scope: String
    /// Tokens added per second.
    public let rate: Double
    /// Largest number of tokens a bucket holds.
    public let burst: Int

    /// Creates the bucket.
    /// - Parameters:
    ///   - client: The Redis connection pool.
    ///   - scope: What the bucket limits (a daemon role).
    ///   - rate: Tokens per second (> 0).
    ///   - burst: Bucket size (at least 1).
    public init(client: RedisClient, scope: String, rate: Double, burst: Int) {
        self.client = client
        self.scope = scope
        self.rate = rate
        self.burst = max(burst, 1)
    }

    /// The Redis key of a user's bucket.
    public func key(for userID: UserID) -> String {
        Self.keyPrefix + scope + ":" + PercentEncoding.encodeUnreserved(userID.rawValue)
    }

    /// Takes up to `want` whole tokens from the user's bucket.
    /// - Returns: The tokens granted, 0 when the bucket is empty.
    /// - Throws: `.cacheUnavailable` when Redis cannot be reached or answers unexpectedly.
    public func take(_ want: Int, for userID: UserID) async throws -> Int {
        let ttl = Int((Double(burst) / rate).rounded(.up)) + 1
        let reply = try await client.execute(
            "EVAL", Self.script, "1", key(for: userID), "\(rate)", "\(burst)", "\(max(want, 1))", "\(ttl)")
        guard case .integer(let granted) = reply else { throw CoreStoreError(.cacheUnavailable) }
        return Int(granted)
    }

    /// KEYS[1] bucket; ARGV rate, burst, want, ttl seconds. Returns the tokens granted.
    static let script = """
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local want = tonumber(ARGV[3])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(state[1]) or burst
        local updated = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
        local granted = math.min(want, math.floor(tokens))
        tokens = tokens - granted
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
        redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
        return granted
        """
}
