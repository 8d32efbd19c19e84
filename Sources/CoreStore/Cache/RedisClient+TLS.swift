import Logging
import NIOSSL

extension RedisClient {
    /// The TLS context of a `rediss://` client: the given settings (or the system trust store)
    /// with TLS 1.2 as the least version and full verification (certificate chain and host name)
    /// whatever they said.
    /// - Throws: `CoreStoreError(.internalError)` when NIOSSL refuses the settings.
    static func makeTLSContext(_ settings: TLSConfiguration?, logger: Logger) throws(CoreStoreError) -> NIOSSLContext {
        var tls = settings ?? .makeClientConfiguration()
        switch tls.minimumTLSVersion {
        case .tlsv1, .tlsv11: tls.minimumTLSVersion = .tlsv12
        default: break
        }
        tls.certificateVerification = .fullVerification
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            logger.error("redis TLS settings refused", metadata: ["redis.error": "\(error)"])
            throw CoreStoreError(.internalError, "the redis TLS settings cannot be used")
        }
    }
}
