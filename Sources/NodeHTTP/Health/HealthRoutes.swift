import CoreStore
import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// `/healthz` (the process is alive), `/readyz` (the node can serve) and `/metrics` (Prometheus).
/// All three are unauthenticated and cheap.
public struct HealthRoutes: Sendable {
    let readiness: ReadinessProbe

    /// Creates the routes.
    /// - Parameter readiness: The readiness checks.
    public init(readiness: ReadinessProbe) {
        self.readiness = readiness
    }

    /// Registers the routes on `router`, each for `GET` and `HEAD` (the same answer without its body).
    public func register(on router: Router<NodeRequestContext>) {
        let routes: [(String, @Sendable () async -> Response)] = [
            ("/healthz", { Self.healthz() }), ("/readyz", { [readiness] in await Self.readyz(readiness) }),
            ("/metrics", { Self.metrics() }),
        ]
        for (path, respond) in routes {
            router.get(RouterPath(path)) { _, _ in await respond() }
            router.head(RouterPath(path)) { _, _ in await respond().withoutBody() }
        }
    }

    private static func healthz() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }

    private static func readyz(_ readiness: ReadinessProbe) async -> Response {
        let report = await readiness.report()
        let data = (try? JSONSerialization.data(withJSONObject: report.json, options: [.sortedKeys])) ?? Data()
        return Response(
            status: report.isReady ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func metrics() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(bytes: MetricsRegistry.render())))
    }
}
