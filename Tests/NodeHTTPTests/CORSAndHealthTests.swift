import CoreStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NodeHTTP
import TestSupport
import Testing

@Suite("CORS, health, readiness and metrics routes")
struct CORSAndHealthTests {
    func makeApp(origins: [String]) async throws -> (some ApplicationProtocol, NodeMain.Parts) {
        let parts = try await TestNode.parts(role: .download) { $0.corsAllowedOrigins = origins }
        let router = NodeApplication.makeRouter(
            configuration: parts.configuration, readiness: NodeMain.readinessProbe(parts))
        router.get("/denied") { _, _ -> Response in throw CoreStoreError(.forbidden) }
        let app = try NodeApplication.makeApplication(
            router: router, configuration: parts.configuration, services: [], logger: parts.logger)
        return (app, parts)
    }

    @Test("preflight and error responses carry CORS headers for allowed origins only")
    func cors() async throws {
        let (app, _) = try await makeApp(origins: ["https://app.example.com"])
        try await app.test(.live) { client in
            try await client.execute(
                uri: "/upload_download_service/upload", method: .options,
                headers: [.origin: "https://app.example.com", .accessControlRequestMethod: "POST"]
            ) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
                #expect(response.headers[.accessControlAllowMethods]?.contains("POST") == true)
                #expect(response.headers[.accessControlAllowHeaders]?.contains("Content-MD5") == true)
            }
            try await client.execute(uri: "/denied", method: .get, headers: [.origin: "https://app.example.com"]) {
                response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
                #expect(response.headers[.accessControlExposeHeaders]?.contains("Retry-After") == true)
            }
            try await client.execute(uri: "/denied", method: .get, headers: [.origin: "https://evil.example.com"]) {
                #expect($0.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test("healthz, readyz (ready, then draining) and metrics; request id is echoed")
    func health() async throws {
        let (app, parts) = try await makeApp(origins: [])
        try await app.test(.live) { client in
            try await client.execute(
                uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "abc-123"]
            ) {
                #expect($0.status == .ok)
                #expect($0.headers[HTTPField.Name("X-Request-Id")!] == "abc-123")
            }
            try await client.execute(uri: "/readyz", method: .get) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body).contains("\"metadata\":\"ok\""))
            }
            parts.drain.beginDraining()
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await client.execute(uri: "/metrics", method: .get) {
                #expect($0.status == .ok)
                #expect($0.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
        }
    }
}
