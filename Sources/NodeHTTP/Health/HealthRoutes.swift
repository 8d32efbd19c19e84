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

    /// Registers the routes on `router`.
    public func register(on router: Router<NodeRequestContext>) {
        router.get("/healthz") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/readyz") { _, _ in
            let report = await readiness.report()
            let data = (try? JSONSerialization.data(withJSONObject: report.json, options: [.sortedKeys])) ?? Data()
            return Response(
                status: report.isReady ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: MetricsRegistry.render())))
        }
    }
}
