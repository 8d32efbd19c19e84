import CoreStore
import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOCore
import NIOSSL
public import ServiceLifecycle
import Synchronization

/// What both daemons share when they build their Hummingbird application: middleware order,
/// health routes, the HTTP/1 channel with `Expect: 100-continue` handling, idle timeout, TLS.
public enum NodeApplication {
    /// Builds the router with the shared middleware and routes; the daemon adds its own routes.
    /// - Parameters:
    ///   - configuration: The node configuration.
    ///   - readiness: The readiness probe for `/readyz`.
    ///   - logger: The application logger.
    public static func makeRouter(configuration: NodeConfiguration, readiness: ReadinessProbe) -> Router<
        NodeRequestContext
    > {
        let router = Router(context: NodeRequestContext.self)
        router.add(middleware: AccessLogMiddleware(trustedProxies: configuration.trustedProxies))
        router.add(middleware: CORSAllowListMiddleware(origins: configuration.corsAllowedOrigins))
        router.add(middleware: ErrorRenderingMiddleware())
        HealthRoutes(readiness: readiness).register(on: router)
        return router
    }

    /// Builds the application.
    /// - Parameters:
    ///   - router: The router from ``makeRouter(configuration:readiness:)`` with the daemon's routes.
    ///   - configuration: The node configuration.
    ///   - services: Services to run beside the server (sweepers, batchers).
    ///   - onServerRunning: Called once the listener is up (systemd `READY=1`).
    ///   - logger: The application logger.
    /// - Throws: When the TLS files cannot be loaded.
    public static func makeApplication(
        router: Router<NodeRequestContext>, configuration: NodeConfiguration, services: [any Service],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }, logger: Logger
    ) throws -> some ApplicationProtocol {
        let channel = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ExpectContinueHandler()],
            idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))
        let http1 = NodeHTTP1Channel.builder(
            configuration: channel,
            readPolicy: .init(
                readBufferBytes: configuration.readBufferBytes, deepQueueConnections: configuration.deepQueueConnections
            ),
            unsentLowWater: .init(
                quietBytes: configuration.quietUnsentLowWaterBytes, busyBytes: configuration.unsentLowWaterBytes,
                busyConnections: configuration.busyConnections))
        let server: HTTPServerBuilder
        if let certificate = configuration.tls.certificatePath, let key = configuration.tls.keyPath {
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            server = try .tls(http1, tlsConfiguration: tls)
        } else {
            server = http1
        }
        return Application(
            router: router, server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: configuration.role.rawValue),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
