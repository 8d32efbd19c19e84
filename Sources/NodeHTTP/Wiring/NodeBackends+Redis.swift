import CoreStore
import Logging

extension NodeBackends {
    /// The Redis client of `redisUrl` (`nil` without one), with the TLS files of a `rediss://`
    /// URL loaded: a bad URL or an unusable file stops the node with an error naming the key.
    /// - Throws: ``ConfigurationError``.
    static func makeRedisClient(
        configuration: RedisConfiguration, pool: BlockingPool, logger: Logger
    ) throws(ConfigurationError) -> RedisClient? {
        let tls = try configuration.tlsConfiguration()
        guard let url = configuration.url else { return nil }
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
